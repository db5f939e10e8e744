package io.vxswitch.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vxswitch run --config FILE} from the packaged jar, as a user runs it, inside a namespace: the jar the
 * {@code package} phase built ({@code target/vxswitch.jar}, or {@code -Dvxswitch.jar=PATH}), run by the JDK
 * running the tests. Start waits for the "started" line; the output is kept for failure messages.
 */
final class Daemon {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern STARTED = Pattern.compile(" started with (\\d+) ports");
    private static final Pattern PORT_LINE = Pattern.compile("^\\S+ port ");
    private static final Pattern API_LINE = Pattern.compile(" management API (on|off)");

    private final Background process;
    private final Netns host;
    private final Path tokenFile;
    private final Path configFile;

    private Daemon(Background process, Netns host, Path tokenFile, Path configFile) {
        this.process = process;
        this.host = host;
        this.tokenFile = tokenFile;
        this.configFile = configFile;
    }

    /** Writes {@code yaml} to the lab's folder and starts the switch in {@code host}; returns once it has started. */
    static Daemon start(Lab lab, Netns host, String yaml) {
        Path jar = jar();
        Path config = lab.dir().resolve(host.name() + ".yaml");
        Path tokenFile = lab.dir().resolve(host.name() + ".token");
        if (!yaml.contains("\napi:")) { // keep the token out of the host's /run/vxswitch
            yaml = yaml + "api: {tokenFile: \"" + tokenFile + "\"}\n";
        }
        try {
            Files.writeString(config, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Background b = lab.spawn("vxswitch in " + host.name(), host, java, "--enable-native-access=ALL-UNNAMED",
            "-jar", jar.toString(), "run", "--config", config.toString());
        b.awaitOutput(Daemon::started, "its 'started' line, one line per port and the API's line", START_TIMEOUT);
        return new Daemon(b, host, tokenFile, config);
    }

    /** "switch NAME started with N ports", the N per-port lines, and "management API on ..." (or off). */
    private static boolean started(String out) {
        Matcher m = STARTED.matcher(out);
        return m.find() && out.lines().filter(l -> PORT_LINE.matcher(l).find()).count() >= Integer.parseInt(m.group(1))
            && API_LINE.matcher(out).find();
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("vxswitch.jar", "target/vxswitch.jar")).toAbsolutePath();
        assertThat(jar).as("the shaded jar the integration tests run (built by 'mvn package'; run the ITs with "
            + "'mvn verify')").isRegularFile();
        return jar;
    }

    /**
     * Runs {@code vxswitch ARGS} (a subcommand such as {@code fdb show}) from the same jar, inside {@code ns}, with
     * {@code env} added; the result may be a failure.
     */
    static Cmd.Result cli(Netns ns, Map<String, String> env, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(ns.inside(java, "--enable-native-access=ALL-UNNAMED", "-jar",
            jar().toString()));
        command.addAll(List.of(args));
        return Cmd.run(command, Cmd.DEFAULT_TIMEOUT, env);
    }

    /** {@code vxswitch ARGS} against this daemon (its namespace, its token file); must succeed; returns stdout. */
    String cli(String... args) {
        String[] withToken = java.util.Arrays.copyOf(args, args.length + 1);
        withToken[args.length] = "--token-file=" + tokenFile;
        return cli(host, Map.of(), withToken).check().out();
    }

    /** The port's entry of {@code vxswitch stats --json}. */
    JsonNode portStats(String name) {
        try {
            for (JsonNode p : new ObjectMapper().readTree(cli("stats", "--json"))) {
                if (p.get("port").asText().equals(name)) {
                    return p;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no port " + name + " in vxswitch stats");
    }

    /** {@code GET PATH} ({@code /api/v1/port-groups}, {@code /metrics}) with curl inside the daemon's namespace. */
    String get(String path) {
        String token;
        try {
            token = Files.readString(tokenFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return host.run("curl", "-sS", "--fail", "-H", "Authorization: Bearer " + token,
            "http://127.0.0.1:7739" + path).check().out();
    }

    /**
     * The value of the Prometheus series {@code name} (without labels, e.g. {@code vxswitch_fdb_evicted_total}) from
     * {@code GET /metrics}.
     */
    double metric(String name) {
        String text = get("/metrics");
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no series " + name + " in /metrics:\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    Path tokenFile() {
        return tokenFile;
    }

    /** The config file it runs from (with the test's api: section added if it had none). */
    Path configFile() {
        return configFile;
    }

    /** {@code vxswitch ARGS} against this daemon; the result may be a failure. */
    Cmd.Result tryCli(String... args) {
        String[] withToken = java.util.Arrays.copyOf(args, args.length + 1);
        withToken[args.length] = "--token-file=" + tokenFile;
        return cli(host, Map.of(), withToken);
    }

    String output() {
        return process.output();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the output has a line matching {@code regex}; fails with the output after {@code timeout}. */
    void awaitLog(String regex, Duration timeout) {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        process.awaitOutput(out -> p.matcher(out).find(), "a line matching /" + regex + "/", timeout);
    }

    /** CPU time (user + system) the daemon's process has used so far, from /proc/PID/stat, in clock ticks. */
    /** The daemon's process id ({@code ip netns exec} execs java, so it is the JVM's). */
    long pid() {
        return process.pid();
    }

    long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15 of stat(5)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the switch as an operator does (SIGTERM) and returns everything it printed. Fails unless it exited with
     * status 0 within 15 s.
     */
    String stop() {
        terminate();
        return output();
    }

    /** SIGTERM; how long the switch took to exit. Fails unless it exited with status 0 within 15 s. */
    Duration terminate() {
        long start = System.nanoTime();
        process.signal("TERM");
        int status = process.awaitExit(Duration.ofSeconds(15));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(status).as("vxswitch exit status after SIGTERM (-1: still running)\n%s", output()).isZero();
        return took;
    }

    /** SIGKILL: the daemon gets no chance to say goodbye (no Cease); returns what it printed. */
    String kill() {
        process.signal("KILL");
        process.awaitExit(Duration.ofSeconds(15));
        return output();
    }
}
