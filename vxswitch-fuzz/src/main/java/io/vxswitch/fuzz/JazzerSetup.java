package io.vxswitch.fuzz;

import com.code_intelligence.jazzer.third_party.net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.lang.instrument.Instrumentation;

/**
 * Makes Jazzer 0.24.0 work on JDK 25 in every test JVM that has this module on its class path (registered through
 * {@code META-INF/services}), before JUnit loads a single test class:
 * <ul>
 * <li>installs {@link ClassFileDowngrade} ahead of Jazzer's own transformer. Jazzer attaches its agent only when the
 *     first fuzz test starts, through the same self-attach ({@link ByteBuddyAgent}, shaded in Jazzer's jar), which hands
 *     back this JVM's one {@link Instrumentation}; transformers run in the order they were added, so every class
 *     reaches Jazzer already relabelled;</li>
 * <li>sets Jazzer's defaults for this project, unless a {@code -D} on the command line set them: instrument
 *     {@code io.vxswitch} only (coverage of Jackson or snakeyaml internals would only steer the fuzzer away from our
 *     code), and leave out three sanitizers whose hooks target JDK classes loaded before this listener runs, which
 *     Jazzer then cannot read (one stack trace per class in every test run). They look for regex and OS command
 *     injection, which a switch's parsers cannot do.</li>
 * </ul>
 * Runs in regression mode too: {@code mvn verify} replays the corpus with the agent attached, as fuzzing does.
 */
public final class JazzerSetup implements LauncherSessionListener {
    private static final String DISABLED_SANITIZERS = String.join(":",
        "com.code_intelligence.jazzer.sanitizers.RegexInjection",
        "com.code_intelligence.jazzer.sanitizers.RegexRoadblocks",
        "com.code_intelligence.jazzer.sanitizers.OsCommandInjection");
    private static boolean installed;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        defaultProperty("jazzer.instrument", "io.vxswitch.**");
        defaultProperty("jazzer.disabled_hooks", DISABLED_SANITIZERS);
        Instrumentation instrumentation = ByteBuddyAgent.install();
        // retransformable, so that classes loaded before now are relabelled too when Jazzer retransforms them
        instrumentation.addTransformer(new ClassFileDowngrade(), true);
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
