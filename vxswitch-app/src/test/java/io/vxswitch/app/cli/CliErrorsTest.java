package io.vxswitch.app.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line's help and its errors (issue 15, item 8): every help page renders cleanly, and every mistake a
 * user can make on the command line is one sentence that says what to do, never a Java class or a stack trace.
 */
class CliErrorsTest {
    /** What must never reach a user: a Java class name, a stack frame, picocli's own warnings. */
    static final Pattern JAVA = Pattern.compile("Exception|java\\.|\\tat |\\n\\s+at [a-z]|picocli WARN|%n");

    record Run(int code, String out, String err) {
    }

    /** Runs vxswitch; stderr includes what picocli's tracer writes to System.err (its format warnings). */
    static Run vxswitch(String... args) {
        PrintStream systemErr = System.err;
        ByteArrayOutputStream traced = new ByteArrayOutputStream();
        System.setErr(new PrintStream(traced, true, StandardCharsets.UTF_8)); // before picocli looks at it
        try {
            CommandLine cl = VxswitchCommand.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            int code = cl.execute(args);
            return new Run(code, out.toString(), err + traced.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(systemErr);
        }
    }

    /** Every command and subcommand, as the words that name it ("lab seed"). */
    static List<List<String>> commands(CommandLine cl, List<String> prefix) {
        List<List<String>> all = new ArrayList<>();
        all.add(prefix);
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> words = new ArrayList<>(prefix);
                words.add(name);
                all.addAll(commands(sub, words));
            }
        });
        return all;
    }

    @Test
    void every_help_page_renders_without_picocli_warnings_within_the_terminal_width() {
        List<List<String>> all = commands(VxswitchCommand.commandLine(), List.of());
        assertThat(all).hasSizeGreaterThan(20);
        for (List<String> command : all) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            Run r = vxswitch(args.toArray(String[]::new));
            assertThat(r.code()).as("vxswitch %s --help", String.join(" ", command)).isZero();
            assertThat(r.err()).as("vxswitch %s --help: stderr", String.join(" ", command)).isEmpty();
            assertThat(r.out().lines()).as("vxswitch %s --help: every line fits 110 columns", String.join(" ", command))
                .allMatch(l -> l.length() <= 110);
        }
    }

    @Test
    void the_seed_labs_help_shows_its_percent_sign_as_written() {
        Run r = vxswitch("lab", "seed", "--help");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("forged transmits -> 100% packet loss")
            .contains("vxswitch lab seed --evpn").doesNotContain("%%");
    }

    @Test
    void an_unknown_seed_policy_is_a_sentence_with_the_choices_and_where_the_help_is() {
        Run r = vxswitch("lab", "seed", "--policy", "bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("""
            vxswitch lab seed: Invalid value for option '--policy': unknown seed policy 'bogus' (expected default, \
            promiscuous or learning)
            Run 'vxswitch lab seed --help' for its options.
            """);
    }

    @Test
    void a_mistyped_command_or_option_gets_a_suggestion() {
        Run command = vxswitch("stat");
        assertThat(command.code()).isEqualTo(2);
        assertThat(command.err()).startsWith("vxswitch: no command 'stat' (commands: lab, run, fdb,")
            .contains("Did you mean: stats?").endsWith("Run 'vxswitch --help' for its commands.\n");
        Run option = vxswitch("stats", "--jsn");
        assertThat(option.err()).isEqualTo("""
            vxswitch stats: unknown option '--jsn'
            Did you mean: --json?
            Run 'vxswitch stats --help' for its options.
            """);
    }

    @Test
    void every_command_line_mistake_is_at_most_three_lines_of_plain_words(@TempDir Path dir) throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "0123456789abcdef0123");
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        Path badConfig = Files.writeString(dir.resolve("bad.yaml"), "switch: {name: x}\nports:\n  - {name: vm1, "
            + "type: tap, portGroup: nope}\n");
        String api = "--api=http://127.0.0.1:1";
        String tokenFile = "--token-file=" + token;
        List<String[]> mistakes = List.of(
            new String[] {"bogus"},
            new String[] {"lab", "bogus"},
            new String[] {"lab", "seed", "--policy", "bogus"},
            new String[] {"lab", "seed", "--pcap", notADir.toString()},
            new String[] {"lab", "seed", "--pcap", notADir.resolve("sub").toString()},
            new String[] {"lab", "run"},
            new String[] {"lab", "run", dir.resolve("none.yaml").toString()},
            new String[] {"lab", "run", dir.toString()},
            new String[] {"lab", "example", "bogus"},
            new String[] {"run"},
            new String[] {"run", "--config", dir.resolve("none.yaml").toString()},
            new String[] {"run", "--config", dir.toString()},
            new String[] {"run", "--config", badConfig.toString(), "--check"},
            new String[] {"fdb", "show", "--vlan", "abc", api, tokenFile},
            new String[] {"fdb", "add", api, tokenFile},
            new String[] {"fdb", "flush", "--vlan", "x"},
            new String[] {"ports", "add"},
            new String[] {"ports", "del"},
            new String[] {"tunnels", "flood-add", "vx", "--vni", "abc", "--remote", "192.0.2.3"},
            new String[] {"stats", "--bogus"},
            new String[] {"stats", "--api", "nope", tokenFile},
            new String[] {"stats", "--api", "http://[::1", tokenFile},
            new String[] {"stats", api, tokenFile},
            new String[] {"stats", "--token-file", dir.resolve("none").toString()},
            new String[] {"trace", api, tokenFile},
            new String[] {"trace", "--port", "vm1", api, tokenFile},
            new String[] {"capture", api, tokenFile},
            new String[] {"capture", "vm1", "-c", "x", "-w", "-", api, tokenFile},
            new String[] {"capture", "vm1", "-w", notADir.resolve("sub/f.pcap").toString(), api, tokenFile},
            new String[] {"evpn", "routes", "--vni", "x"},
            new String[] {"bgp", "bogus"},
            new String[] {"config", "reload", api, tokenFile},
            new String[] {"completion", "bogus"},
            new String[] {"help", "bogus"});
        for (String[] args : mistakes) {
            Run r = vxswitch(args);
            String what = "vxswitch " + String.join(" ", args) + "\n" + r.err();
            assertThat(r.code()).as(what).isIn(1, 2);
            assertThat(r.err()).as(what).startsWith("vxswitch").doesNotContainPattern(JAVA);
            assertThat(r.err().lines().count()).as(what).isBetween(1L, 3L);
            assertThat(r.out()).as(what).isEmpty();
        }
    }

    @Test
    void files_that_cannot_be_used_say_why_in_words(@TempDir Path dir) throws IOException {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        assertThat(vxswitch("lab", "seed", "--pcap", notADir.resolve("sub").toString()).err())
            .isEqualTo("vxswitch: cannot create capture directory " + notADir.resolve("sub") + ": not a directory\n");
        assertThat(vxswitch("run", "--config", dir.toString()).err())
            .isEqualTo("vxswitch: cannot read " + dir + ": is a directory\n");
    }

    @Test
    void an_answer_from_something_that_is_not_vxswitch_is_named_as_such(@TempDir Path dir) throws IOException {
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", exchange -> {
            byte[] page = "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>".getBytes();
            exchange.sendResponseHeaders(404, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        other.start();
        try {
            Path token = Files.writeString(dir.resolve("token"), "0123456789abcdef0123");
            String url = "http://127.0.0.1:" + other.getAddress().getPort();
            Run r = vxswitch("stats", "--api", url, "--token-file", token.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("vxswitch: the server at " + url + " answered HTTP 404 without a vxswitch "
                + "error (an HTML page): is --api the address of a vxswitch's API (default http://127.0.0.1:7739)?\n");
        } finally {
            other.stop(0);
        }
    }

    /** A command with a bug in it, for the handler of the unexpected. */
    @CommandLine.Command(name = "buggy")
    static final class Buggy implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("the loop is not running");
        }
    }

    @Test
    void a_bug_is_one_line_that_says_so_and_the_stack_trace_comes_only_when_asked_for() {
        for (boolean debug : new boolean[] {false, true}) {
            CommandLine cl = new CommandLine(new Buggy());
            cl.setExecutionExceptionHandler(new UserErrorHandler(debug));
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err));
            assertThat(cl.execute()).isEqualTo(UserErrorHandler.BUG);
            String first = err.toString().lines().findFirst().orElseThrow();
            assertThat(first).startsWith("vxswitch: unexpected failure: the loop is not running. This is a bug in "
                + "vxswitch: please report it");
            if (debug) {
                assertThat(err.toString()).contains("IllegalStateException").contains("\tat ");
            } else {
                assertThat(err.toString()).hasLineCount(1).contains("VXSWITCH_DEBUG=1").doesNotContainPattern(JAVA);
            }
        }
    }
}
