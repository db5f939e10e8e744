package io.vxswitch.app.cli;

import io.vxswitch.app.client.ApiClient;
import io.vxswitch.app.client.PcapCounter;
import io.vxswitch.config.FileErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/** {@code vxswitch capture PORT -w FILE}: a running switch's port, as tcpdump would write it. */
@Command(name = "capture", mixinStandardHelpOptions = true,
    description = {"Captures the frames of one port of a running switch into a pcap file (tcpdump, Wireshark):",
        "what arrives on the port as received, and what the switch sends to it as it leaves (with the tag it",
        "leaves with). Frames the switch drops on the way in are captured too. Runs until -c frames, --seconds,",
        "or Ctrl-C.", "",
        "Examples:",
        "  vxswitch capture vm1 -w vm1.pcap -c 100",
        "  vxswitch capture up0 -w - | tcpdump -n -e -r -", ""})
public final class CaptureCommand implements Runnable {
    @Mixin
    ApiConnection api;
    @Parameters(index = "0", paramLabel = "PORT", description = "The port (vxswitch ports lists them).")
    String port;
    @Option(names = "-w", required = true, paramLabel = "FILE", description = "The pcap file to write; - for stdout.")
    String file;
    @Option(names = "-c", paramLabel = "N", description = "Stop after N frames.")
    Integer count;
    @Option(names = "--seconds", paramLabel = "S", description = "Stop after S seconds.")
    Integer seconds;
    @Option(names = {"-s", "--snaplen"}, paramLabel = "BYTES", description = "Keep at most BYTES of each frame"
        + " (default: whole frames).")
    Integer snaplen;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ApiClient client = api.client();
        boolean toStdout = file.equals("-");
        try (OutputStream target = toStdout ? System.out : new BufferedOutputStream(new FileOutputStream(file));
             PcapCounter counter = new PcapCounter(target)) {
            if (!toStdout) {
                spec.commandLine().getErr().println("capturing on port " + port + " into " + file
                    + (count != null ? ", " + count + " frames" : "") + (seconds != null ? ", " + seconds + " s" : "")
                    + (count == null && seconds == null ? " until Ctrl-C" : ""));
                spec.commandLine().getErr().flush();
            }
            client.download("/capture", ApiClient.params("port", port, "count", text(count), "seconds",
                text(seconds), "snaplen", text(snaplen)), counter);
            counter.flush();
            spec.commandLine().getErr().println(counter.records() + " frame" + (counter.records() == 1 ? "" : "s")
                + " captured" + (toStdout ? "" : " into " + file));
        } catch (IOException e) {
            throw new UserException("cannot write " + (toStdout ? "to stdout" : Path.of(file).toAbsolutePath()) + ": "
                + FileErrors.reason(e));
        }
    }

    private static String text(Integer v) {
        return v == null ? null : v.toString();
    }
}
