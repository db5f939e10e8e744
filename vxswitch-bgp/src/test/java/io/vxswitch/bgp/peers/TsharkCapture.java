package io.vxswitch.bgp.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tshark as the oracle for the codec: captures a BGP session on loopback into a file, then decodes it as BGP.
 * Needs capture rights (root, as in CI). Stopped and its file removed on close.
 */
public final class TsharkCapture implements AutoCloseable {
    private final Path file;
    private final Process process;
    private final int port;

    private TsharkCapture(Path file, Process process, int port) {
        this.file = file;
        this.process = process;
        this.port = port;
    }

    /** Starts capturing TCP port {@code port} on lo and returns once tshark says it is capturing. */
    public static TsharkCapture start(int port) throws IOException, InterruptedException {
        Path file = Files.createTempFile("vxswitch-bgp", ".pcapng");
        Process p = new ProcessBuilder("tshark", "-i", "lo", "-f", "tcp port " + port, "-w", file.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        for (String line; (line = err.readLine()) != null; ) {
            said.append(line).append('\n');
            if (line.startsWith("Capturing on")) {
                Thread.ofVirtual().start(() -> drain(err));
                // dumpcap says so just before its filter is attached: a connection made at once can be missed
                Thread.sleep(1000);
                return new TsharkCapture(file, p, port);
            }
        }
        p.destroy();
        Files.deleteIfExists(file);
        throw new IllegalStateException("tshark did not start capturing (root needed; apt-get install tshark):\n" + said);
    }

    /** Stops the capture and decodes it: {@code tshark -r FILE -d tcp.port==PORT,bgp ARGS}. */
    public List<String> decode(String... args) throws IOException, InterruptedException {
        stop();
        List<String> command = new ArrayList<>(List.of("tshark", "-r", file.toString(), "-d", "tcp.port==" + port + ",bgp"));
        command.addAll(List.of(args));
        Path errors = Files.createTempFile("vxswitch-tshark", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(errors));
            }
            return decoded(out);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private static List<String> decoded(String out) {
        return out.isBlank() ? List.of() : List.of(out.split("\n"));
    }

    private void stop() throws InterruptedException {
        if (process.isAlive()) {
            Thread.sleep(300); // the last segments reach the capture buffer
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void drain(BufferedReader r) {
        try {
            while (r.readLine() != null) {
                // tshark's packet counter on stderr; read so it never blocks
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(file);
    }
}
