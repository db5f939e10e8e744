package io.vxswitch.bgp.peers;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real GoBGP 3.x route reflector (Debian's gobgpd) on loopback: it listens on 127.0.0.2 at a free port, passive,
 * with 127.0.0.1 as its route-reflector client, and is driven with the {@code gobgp} CLI. Stopped and its files
 * removed on close, also when a test fails.
 */
public final class GobgpReflector implements AutoCloseable {
    public static final String ADDRESS = "127.0.0.2";
    public static final String CLIENT = "127.0.0.1";

    private final Path dir;
    private final Process process;
    public final int bgpPort;
    private final int apiPort;

    private GobgpReflector(Path dir, Process process, int bgpPort, int apiPort) {
        this.dir = dir;
        this.process = process;
        this.bgpPort = bgpPort;
        this.apiPort = apiPort;
    }

    /** Starts gobgpd expecting the client 127.0.0.1 in {@code clientAs} and waits until its API answers. */
    public static GobgpReflector start(long asn, long clientAs) throws Exception {
        return start(asn, clientAs, CLIENT);
    }

    /** Starts gobgpd with route-reflector clients at {@code clients} (loopback addresses), all in {@code clientAs}. */
    public static GobgpReflector start(long asn, long clientAs, String... clients) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/gobgpd"))) {
            throw new IllegalStateException("gobgpd is missing: apt-get install gobgpd (.ci/run installs it)");
        }
        Path dir = Files.createTempDirectory("vxswitch-gobgp");
        int bgpPort = freePort();
        int apiPort = freePort();
        StringBuilder config = new StringBuilder("""
                [global.config]
                  as = %d
                  router-id = "192.0.2.254"
                  port = %d
                  local-address-list = ["%s"]
                """.formatted(asn, bgpPort, ADDRESS));
        for (String client : clients) {
            config.append("""
                    [[neighbors]]
                      [neighbors.config]
                        neighbor-address = "%s"
                        peer-as = %d
                      [neighbors.transport.config]
                        passive-mode = true
                      [neighbors.route-reflector.config]
                        route-reflector-client = true
                        route-reflector-cluster-id = "192.0.2.254"
                      [[neighbors.afi-safis]]
                        [neighbors.afi-safis.config]
                          afi-safi-name = "l2vpn-evpn"
                    """.formatted(client, clientAs));
        }
        Files.writeString(dir.resolve("gobgpd.toml"), config);
        Process p = new ProcessBuilder("gobgpd", "-f", dir.resolve("gobgpd.toml").toString(), "-p",
                "--api-hosts", "127.0.0.1:" + apiPort, "--pprof-disable")
                .redirectErrorStream(true).redirectOutput(dir.resolve("gobgpd.log").toFile()).start();
        GobgpReflector r = new GobgpReflector(dir, p, bgpPort, apiPort);
        try {
            r.await(out -> out.contains(clients[0]), Duration.ofSeconds(10), "neighbor");
        } catch (Exception e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** Runs {@code gobgp ARGS} against this daemon and returns what it printed. */
    public String gobgp(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gobgp", "-p", Integer.toString(apiPort)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    /** Polls {@code gobgp ARGS} until its output satisfies {@code done}; the last output in the failure otherwise. */
    public String await(Predicate<String> done, Duration timeout, String... args) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String out = "";
        while (System.nanoTime() < deadline) {
            out = gobgp(args);
            if (done.test(out)) {
                return out;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("gobgp " + String.join(" ", args) + " did not show what was expected within "
                + timeout.toSeconds() + " s; it printed:\n" + out + "\ngobgpd log:\n" + log());
    }

    public String log() throws IOException {
        Path log = dir.resolve("gobgpd.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }
}
