package io.vxswitch.app.daemon;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which config changes a reload can make live, and which need a restart (then the reload changes nothing). */
class ReconfigurerTest {
    private static DaemonConfig parse(String yaml) {
        return DaemonConfigParser.parse("s.yaml", yaml);
    }

    @Test
    void ports_port_groups_flood_lists_and_the_move_guard_change_live() {
        DaemonConfig now = parse(DaemonConfigParserTest.GOOD);
        DaemonConfig next = parse(DaemonConfigParserTest.GOOD
            .replace("remotes: [192.0.2.2]", "remotes: [192.0.2.2, 192.0.2.3]")
            .replace("limit: 4096", "limit: 8")
            .replace("agingSeconds: 300}", "agingSeconds: 300}\n    shaping: {egress: {average: 50mbit}}")
            .replace("switch: {name: esxi-a}", "switch: {name: esxi-a, macMove: {holdSeconds: 30}}")
            .replace("  - { name: vm1, type: tap, portGroup: vlan119 }\n", ""));
        assertThat(Reconfigurer.needsRestart(now, next)).isEmpty();
    }

    @Test
    void switch_wide_settings_the_api_and_tunnels_beyond_their_remotes_need_a_restart() {
        DaemonConfig now = parse(DaemonConfigParserTest.GOOD);
        DaemonConfig next = parse(DaemonConfigParserTest.GOOD
            .replace("switch: {name: esxi-a}", "switch: {name: esxi-b, fdbCapacity: 100, threads: 1}")
            .replace("vni: 119, vlan: 119", "vni: 120, vlan: 119")
            + "api: {listen: 127.0.0.1:8000}\n");
        assertThat(Reconfigurer.needsRestart(now, next)).contains("switch name esxi-a -> esxi-b",
            "fdbCapacity 8192 -> 100", "tunnel vx119 changed beyond its remotes").anyMatch(s -> s.startsWith("api "));
        DaemonConfig noTunnel = parse(DaemonConfigParserTest.GOOD.replace(
            "tunnels:\n  - { name: vx119, vni: 119, vlan: 119, local: 192.0.2.1, remotes: [192.0.2.2], port: 4789 }\n",
            ""));
        assertThat(Reconfigurer.needsRestart(now, noTunnel)).containsExactly("tunnel vx119 is gone");
        assertThat(Reconfigurer.needsRestart(noTunnel, now)).containsExactly("tunnel vx119 is new");
    }

    @Test
    void lags_added_removed_or_changed_need_no_restart() {
        String lag = "  - {name: lag0, type: lag, portGroup: vlan119, members: [ul1, ul2], lacp: active, rate: fast}\n";
        DaemonConfig without = parse(DaemonConfigParserTest.GOOD);
        DaemonConfig with = parse(DaemonConfigParserTest.GOOD.replace("tunnels:", lag + "tunnels:"));
        DaemonConfig changed = parse(DaemonConfigParserTest.GOOD.replace("tunnels:",
            lag.replace("members: [ul1, ul2]", "members: [ul1, ul2, ul3]") + "tunnels:"));
        assertThat(Reconfigurer.needsRestart(without, with)).isEmpty();
        assertThat(Reconfigurer.needsRestart(with, without)).isEmpty();
        assertThat(Reconfigurer.needsRestart(with, changed)).isEmpty();
    }

    @Test
    void a_lag_changed_only_in_how_it_runs_lacp_changes_in_place_and_one_with_other_members_is_added_again() {
        String lag = "  - {name: lag0, type: lag, portGroup: vlan119, members: [ul1, ul2], lacp: active, rate: fast}\n";
        PortConfig now = lag(parse(DaemonConfigParserTest.GOOD.replace("tunnels:", lag + "tunnels:")));
        for (String change : new String[] {"lacp: passive", "rate: slow", "rate: fast, hash: l2",
            "rate: fast, systemPriority: 7, portPriority: 9, key: 12, systemId: \"02:00:00:00:00:aa\""}) {
            PortConfig next = lag(parse(DaemonConfigParserTest.GOOD.replace("tunnels:",
                lag.replace(change.startsWith("lacp") ? "lacp: active" : "rate: fast", change) + "tunnels:")));
            assertThat(next).as(change).isNotEqualTo(now);
            assertThat(Reconfigurer.lacpOnly(now, next)).as(change).isTrue();
        }
        for (String change : new String[] {"members: [ul1]", "members: [ul1, ul2, ul3]", "members: [ul2, ul1]"}) {
            PortConfig next = lag(parse(DaemonConfigParserTest.GOOD.replace("tunnels:",
                lag.replace("members: [ul1, ul2]", change) + "tunnels:")));
            assertThat(Reconfigurer.lacpOnly(now, next)).as(change).isFalse();
        }
        PortConfig ring = lag(parse(DaemonConfigParserTest.GOOD.replace("tunnels:",
            lag.replace("rate: fast", "rate: fast, ring: true") + "tunnels:")));
        assertThat(Reconfigurer.lacpOnly(now, ring)).as("its sockets change").isFalse();
    }

    private static PortConfig lag(DaemonConfig c) {
        return c.ports().stream().filter(p -> p.name().equals("lag0")).findFirst().orElseThrow();
    }

    @Test
    void the_evpn_section_and_an_evpn_tunnels_static_remotes_need_a_restart() {
        DaemonConfig now = DaemonConfigParser.parse("s.yaml", EvpnConfigParserTest.EXAMPLE);
        DaemonConfig otherAs = DaemonConfigParser.parse("s.yaml", EvpnConfigParserTest.EXAMPLE.replace("asn: 65000\n  routerId",
            "asn: 65001\n  routerId"));
        assertThat(Reconfigurer.needsRestart(now, otherAs)).singleElement().asString().startsWith("evpn ");
        DaemonConfig remotes = DaemonConfigParser.parse("s.yaml", EvpnConfigParserTest.EXAMPLE.replace("controlPlane: evpn }",
            "controlPlane: evpn, remotes: [192.0.2.9] }"));
        assertThat(Reconfigurer.needsRestart(now, remotes))
            .containsExactly("tunnel vx119: the static remotes of an EVPN tunnel");
    }

    @Test
    void a_reload_sets_the_mirror_sessions_to_the_file_and_keeps_an_unchanged_one_counting() {
        String ports = DaemonConfigParserTest.GOOD.replace("  - { name: vm2,",
            "  - { name: analyzer, type: tap, portGroup: vlan119, mac: \"02:00:00:00:00:09\" }\n  - { name: vm2,");
        DaemonConfig now = parse(ports + """
            mirrors:
              - {name: keep, sources: {ports: [vm1]}, destination: {port: analyzer}}
              - {name: change, sources: {vlans: 119}, destination: {port: vm2}}
              - {name: gone, sources: {vlans: 200}, destination: {port: sniff}}
            """);
        io.vxswitch.forwarding.Switch sw = new io.vxswitch.forwarding.Switch(
            io.vxswitch.forwarding.SwitchOptions.defaults("esxi-a"));
        now.portGroups().forEach(sw::addPortGroup);
        now.ports().forEach(p -> HostSwitch.addToSwitch(sw, p));
        now.mirrors().forEach(sw::addMirror);
        io.vxswitch.forwarding.Mirror kept = sw.mirror("keep");

        DaemonConfig next = parse(ports + """
            mirrors:
              - {name: keep, sources: {ports: [vm1]}, destination: {port: analyzer}}
              - {name: change, sources: {vlans: 119}, destination: {port: vm2}, truncate: 128}
              - {name: new, sources: {ports: [up0]}, destination: {port: sniff2}, direction: ingress}
            """);
        assertThat(Reconfigurer.mirrors(sw, next)).containsExactly(
            "removed mirror session change (changed: added again below)", "removed mirror session gone",
            "added mirror change     both of VLAN 119 to port vm2, truncate 128 (active)",
            "added mirror new        ingress of up0 to port sniff2 (waiting for destination port 'sniff2' to be added)");
        assertThat(sw.mirror("keep")).as("the same session, its counters with it").isSameAs(kept);
        assertThat(sw.mirrors()).extracting(io.vxswitch.forwarding.Mirror::name).containsExactly("keep", "change", "new");
        assertThat(Reconfigurer.mirrors(sw, next)).isEmpty();
    }
}
