package io.vxswitch.fuzz;

import com.code_intelligence.jazzer.third_party.net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.lang.instrument.Instrumentation;

/**
 * Makes Jazzer 0.24.0 fuzz on JDK 25 in every test JVM that has this module on its class path (registered through
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
 *     injection, which a switch's parsers cannot do;</li>
 * <li>when fuzzing, leave uninstrumented what building a switch spends its time in: a vNIC's MAC is entered for each of the 4,096
 *     VLANs its port group may carry ({@code VnicScopes.set} asking {@code VlanPolicy.carries}), and with a native
 *     compare-tracing call on each of those, the targets that build a switch per input ran 15 times slower (216 inputs a
 *     second). The data path's own branches still guide the fuzzer;</li>
 * <li>when fuzzing, leave uninstrumented what makes the pipeline target's inputs and checks its invariants (its
 *     harness, {@code io.vxswitch.forwarding.fuzz}, and {@code FrameBuilder}, which it builds up to 1,024 frames an
 *     input with): their compares, each a native call when traced, were nearly half of that target's time, and their
 *     branches tell the fuzzer nothing the pipeline's do not. {@code FrameBuilder} is otherwise reached only by the
 *     API's trace route, which builds one frame a request;</li>
 * <li>when fuzzing, leave uninstrumented the API target's HTTP client ({@code HttpClientWire}, {@code InMemoryHttp},
 *     {@code LoopbackHttp} in vxswitch-mgmt's tests): it reads each answer a byte at a time and compares its header
 *     names, a traced compare each, which was a tenth of that target's time, and tells the fuzzer nothing about the
 *     API.</li>
 * </ul>
 * All of this in fuzzing mode ({@code JAZZER_FUZZ}, {@code scripts/fuzz.sh}) only. In regression mode ({@code mvn
 * verify}) Jazzer's hooks are turned off instead: the inputs are replayed on uninstrumented classes, which is all a
 * replay needs. Nothing at all in JVMs started with {@code -Dvxswitch.jazzer=off} (failsafe's: no fuzz targets).
 */
public final class JazzerSetup implements LauncherSessionListener {
    private static final String DISABLED_SANITIZERS = String.join(":",
        "com.code_intelligence.jazzer.sanitizers.RegexInjection",
        "com.code_intelligence.jazzer.sanitizers.RegexRoadblocks",
        "com.code_intelligence.jazzer.sanitizers.OsCommandInjection");
    /** The API fuzz target's HTTP client, in vxswitch-mgmt's tests: see the class comment. */
    private static final String API_FUZZ_CLIENT = String.join(":",
        "io.vxswitch.mgmt.HttpClientWire**", "io.vxswitch.mgmt.InMemoryHttp**", "io.vxswitch.mgmt.LoopbackHttp");
    private static boolean installed;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    static synchronized void install() {
        if (installed || "off".equals(System.getProperty("vxswitch.jazzer"))) { // failsafe's JVMs: no fuzz targets
            return;
        }
        installed = true;
        if (!fuzzing()) {
            // Regression mode replays inputs and needs no instrumentation: without hooks Jazzer instruments nothing,
            // which saves its agent's start (2-3 s a module JVM, 15 s under load) and leaves the allocation tests
            // that share the JVM measuring the product's bytecode, not Jazzer's
            defaultProperty("jazzer.hooks", "false");
            return;
        }
        defaultProperty("jazzer.instrument", "io.vxswitch.**");
        defaultProperty("jazzer.disabled_hooks", DISABLED_SANITIZERS);
        defaultProperty("jazzer.instrumentation_excludes", String.join(":",
            "io.vxswitch.forwarding.policy.**", "io.vxswitch.forwarding.fdb.VnicScopes",
            "io.vxswitch.forwarding.fuzz.**", "io.vxswitch.packet.FrameBuilder", API_FUZZ_CLIENT));
        // its String compares are traced by Jazzer's hooks on the JDK's methods, which coverage's excludes keep
        defaultProperty("jazzer.custom_hook_excludes", API_FUZZ_CLIENT);
        Instrumentation instrumentation = ByteBuddyAgent.install();
        // retransformable, so that classes loaded before now are relabelled too when Jazzer retransforms them
        instrumentation.addTransformer(new ClassFileDowngrade(), true);
    }

    /** Fuzzing mode, as Jazzer's JUnit integration decides it: {@code JAZZER_FUZZ} or {@code -Djazzer.fuzz}. */
    private static boolean fuzzing() {
        String env = System.getenv("JAZZER_FUZZ");
        String property = System.getProperty("jazzer.fuzz");
        return (env != null && !env.isEmpty() && !env.equals("0") && !env.equalsIgnoreCase("false"))
            || (property != null && !property.equals("0") && !property.equalsIgnoreCase("false"));
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
