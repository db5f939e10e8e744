package io.vxswitch.app.daemon;

import io.vxswitch.config.ConfigException;
import io.vxswitch.config.MirrorParser;
import io.vxswitch.config.YamlDocument;
import io.vxswitch.forwarding.mirror.ErspanDestination;
import io.vxswitch.forwarding.mirror.MirrorDirection;
import io.vxswitch.forwarding.mirror.MirrorSession;
import io.vxswitch.forwarding.policy.VlanRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The config's {@code mirrors:} list, its errors, and the drop-in that keeps sessions added at run time. */
class MirrorConfigTest {
    private static final String CONFIG = """
        switch: {name: host}
        portGroups:
          - {name: lan}
          - {name: trunk, vlan: {trunk: 1-4094}}
        ports:
          - {name: vm1, type: tap, portGroup: lan, mac: "02:00:00:00:00:01"}
          - {name: vm2, type: tap, portGroup: lan, mac: "02:00:00:00:00:02"}
          - {name: analyzer, type: tap, portGroup: lan, mac: "02:00:00:00:00:09"}
          - {name: up0, type: interface, interface: veth-up, portGroup: trunk}
        """;

    @TempDir
    Path dir;

    @Test
    void a_session_with_every_setting_parses() {
        DaemonConfig c = DaemonConfigParser.parse("c.yaml", CONFIG + """
            mirrors:
              - name: span-vm1
                sources: {ports: [vm1, vm2], vlans: "119,200-210"}
                direction: ingress
                destination: {port: analyzer}
                truncate: 128
                sample: 10
            """);
        assertThat(c.mirrors()).containsExactly(new MirrorSession("span-vm1", List.of("vm1", "vm2"),
            List.of(new VlanRange(119, 119), new VlanRange(200, 210)), MirrorDirection.INGRESS, "analyzer", 128, 10));
    }

    @Test
    void left_out_a_session_copies_whole_frames_both_ways() {
        DaemonConfig c = DaemonConfigParser.parse("c.yaml", CONFIG + """
            mirrors:
              - {name: s, sources: {vlans: 119}, destination: {port: analyzer}}
            """);
        assertThat(c.mirrors().getFirst()).isEqualTo(MirrorSession.span("s", List.of(),
            List.of(new VlanRange(119, 119)), MirrorDirection.BOTH, "analyzer"));
    }

    @Test
    void a_bad_session_is_refused_at_its_line_with_what_to_write() {
        assertError("- {name: s, sources: {ports: [vm1]}, destination: {port: analyzer}, direction: in}",
            "c.yaml:11:82: mirror session 's': mirror direction 'in': write ingress, egress or both");
        assertError("- {name: s, sources: {ports: [vm1]}, destination: {port: analyzer}, truncate: 20}",
            "mirror session 's': truncate (bytes) must be");
        assertError("- {name: s, sources: {ports: [vm1]}, destination: {port: analyzer}, sample: 0}",
            "mirror session 's': sample (one frame in N) must be");
        assertError("- {name: s, sources: {}, destination: {port: analyzer}}", "has no source");
        assertError("- {name: s, sources: {ports: [vm1]}, destination: {port: vm1}}",
            "port 'vm1' is both a source and the destination");
        assertError("- {name: s, sources: {ports: [vm1]}, destination: {port: up0}}",
            "destination port 'up0' is an uplink; a SPAN destination is a vNIC port");
        assertError("- {name: s, sources: {ports: [vm1]}, destination: {collector: 192.0.2.9}}",
            "unknown key 'collector'");
        assertError("- {name: s, sources: {ports: [vm1], vlans: 5000}, destination: {port: analyzer}}",
            "sources.vlans must be VLAN ranges");
    }

    @Test
    void two_sessions_that_would_loop_or_share_an_analyzer_are_refused() {
        assertError("""
            - {name: a, sources: {ports: [vm1]}, destination: {port: analyzer}}
              - {name: b, sources: {ports: [analyzer]}, destination: {port: vm2}}""",
            "c.yaml:12:5: mirror session 'b': port 'analyzer' is the destination of session 'a' and cannot be a source");
        assertError("""
            - {name: a, sources: {ports: [vm1]}, destination: {port: analyzer}}
              - {name: b, sources: {ports: [vm2]}, destination: {port: analyzer}}""",
            "already the destination of session 'a'");
        assertError("""
            - {name: a, sources: {ports: [vm1]}, destination: {port: analyzer}}
              - {name: a, sources: {ports: [vm2]}, destination: {port: vm1}}""",
            "mirror session 'a' is defined twice");
    }

    @Test
    void an_erspan_session_parses_with_its_defaults_and_every_setting() {
        DaemonConfig c = DaemonConfigParser.parse("c.yaml", CONFIG + """
            mirrors:
              - name: e2
                sources: {ports: [vm1]}
                destination: {erspan: {remote: 198.51.100.2, sessionId: 1}}
              - name: e3
                sources: {vlans: 119}
                direction: egress
                destination:
                  erspan: {remote: "2001:db8::2", local: "2001:db8::1", sessionId: 1023, version: 3, dscp: 10,
                           ttl: 32, hardwareId: 5}
                truncate: 256
            """);
        MirrorSession e2 = c.mirrors().get(0);
        assertThat(e2).isEqualTo(MirrorSession.erspan("e2", List.of("vm1"), List.of(), MirrorDirection.BOTH,
            ErspanDestination.typeII(ErspanDestination.parseAddress("198.51.100.2", "r"), 1)));
        assertThat(e2.erspan().type()).as("type II unless said").isEqualTo(2);
        MirrorSession e3 = c.mirrors().get(1);
        assertThat(e3.erspan()).isEqualTo(new ErspanDestination(ErspanDestination.parseAddress("2001:db8::2", "r"),
            ErspanDestination.parseAddress("2001:db8::1", "l"), 1023, 3, 10, 32, 0, 5));
        assertThat(e3.truncate()).isEqualTo(256);
        for (MirrorSession m : c.mirrors()) {
            assertThat(MirrorParser.session(YamlDocument.parse("x", MirrorParser.yaml(m), "a session"))).isEqualTo(m);
        }
        assertThat(MirrorParser.yaml(e2)).contains("destination: {erspan: {remote: \"198.51.100.2\", sessionId: 1}}");
    }

    @Test
    void a_bad_erspan_destination_is_refused_at_its_line_with_what_to_write() {
        assertError("- {name: s, sources: {ports: [vm1]}, destination: {erspan: {remote: 198.51.100.2}}}",
            "sessionId");
        assertError("- {name: s, sources: {ports: [vm1]}, destination: {erspan: {remote: 198.51.100.2, sessionId: 0}}}",
            "sessionId must be");
        assertError("- {name: s, sources: {ports: [vm1]}, destination: {erspan: {remote: collector, sessionId: 1}}}",
            "is not an IP address");
        assertError("- {name: s, sources: {ports: [vm1]}, destination: {erspan: {remote: 198.51.100.2, sessionId: 1,"
            + " version: 1}}}", "version (2: type II, 3: type III) must be");
        assertError("- {name: s, sources: {ports: [vm1]}, destination: {erspan: {remote: 198.51.100.2, sessionId: 1,"
            + " hardwareId: 3}}}", "hardwareId is a type III field");
        assertError("- {name: s, sources: {ports: [vm1]}, destination: {erspan: {remote: 198.51.100.2, sessionId: 1,"
            + " key: 3}}}", "unknown key 'key'");
        assertError("- {name: s, sources: {ports: [vm1]}, destination: {port: analyzer, erspan: {remote: 198.51.100.2,"
            + " sessionId: 1}}}", "needs one of port");
        assertError("""
            - {name: a, sources: {ports: [vm1]}, destination: {erspan: {remote: 198.51.100.2, sessionId: 4}}}
              - {name: b, sources: {ports: [vm2]}, destination: {erspan: {remote: 198.51.100.2, sessionId: 4}}}""",
            "ERSPAN session ID 4 to 198.51.100.2 is already used by session 'a'");
    }

    @Test
    void a_session_written_to_the_drop_in_is_read_back_as_the_same_session() throws IOException {
        Path config = dir.resolve("vxswitch.yaml");
        Files.writeString(config, CONFIG + """
            mirrors:
              - {name: cfg, sources: {ports: [vm1]}, destination: {port: analyzer}}
            """);
        List<MirrorSession> added = List.of(
            new MirrorSession("rt1", List.of("vm2"), List.of(new VlanRange(10, 20)), MirrorDirection.EGRESS, "tap9",
                64, 3),
            MirrorSession.span("rt2", List.of(), List.of(new VlanRange(119, 119)), MirrorDirection.BOTH, "tap8"));
        assertThat(RuntimeMirrors.fileFor(config)).isEqualTo(dir.resolve("vxswitch.d/mirrors.yaml"));
        RuntimeMirrors.write(RuntimeMirrors.fileFor(config), added);
        DaemonConfig c = DaemonConfigParser.read(config);
        assertThat(c.mirrors()).extracting(MirrorSession::name).containsExactly("cfg", "rt1", "rt2");
        assertThat(c.mirrors().subList(1, 3)).isEqualTo(added);
        assertThat(c.runtimeMirrors()).containsExactlyInAnyOrder("rt1", "rt2");
        for (MirrorSession m : added) {
            assertThat(MirrorParser.session(YamlDocument.parse("x", MirrorParser.yaml(m), "a session"))).isEqualTo(m);
        }

        RuntimeMirrors.write(RuntimeMirrors.fileFor(config), List.of());
        assertThat(RuntimeMirrors.fileFor(config)).doesNotExist();
        assertThat(DaemonConfigParser.read(config).mirrors()).extracting(MirrorSession::name).containsExactly("cfg");
    }

    @Test
    void a_drop_in_session_that_clashes_with_the_config_is_an_error_at_its_line() throws IOException {
        Path config = dir.resolve("vxswitch.yaml");
        Files.writeString(config, CONFIG + """
            mirrors:
              - {name: cfg, sources: {ports: [vm1]}, destination: {port: analyzer}}
            """);
        RuntimeMirrors.write(RuntimeMirrors.fileFor(config), List.of(MirrorSession.span("cfg", List.of("vm2"),
            List.of(), MirrorDirection.BOTH, "tap9")));
        assertThatThrownBy(() -> DaemonConfigParser.read(config)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("mirrors.yaml:4").hasMessageContaining("mirror session 'cfg' is defined twice");
    }

    private static void assertError(String entries, String message) {
        assertThatThrownBy(() -> DaemonConfigParser.parse("c.yaml", CONFIG + "mirrors:\n  " + entries + "\n"))
            .isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }
}
