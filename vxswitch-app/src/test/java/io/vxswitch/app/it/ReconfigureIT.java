package io.vxswitch.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running switch changed without a restart: {@code vxswitch config reload} after the file gained a port, a port
 * group and a tighter MAC limit, while vm1 pings vm2 the whole time without losing a packet; {@code vxswitch ports
 * add|del}; and the reloads that are refused (a change that needs a restart, a broken file), which change nothing.
 */
@Timeout(180)
class ReconfigureIT extends LabIT {
    private static final String V1 = """
        switch: {name: it-reload}
        portGroups:
          - {name: lan, vlan: 119, security: {forgedTransmits: accept}, macLearning: {enabled: true}}
        ports:
          - {name: vm1, type: tap, portGroup: lan}
          - {name: vm2, type: tap, portGroup: lan}
        """;

    @Test
    void reload_adds_ports_and_changes_policies_while_other_ports_keep_forwarding() throws IOException {
        Netns host = lab.netns("host");
        Daemon daemon = Daemon.start(lab, host, V1);
        String api = Files.readString(daemon.configFile()).substring(V1.length()); // the api: line the test added
        Netns vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        lab.vmOnTap("vm2", host, "vm2", "10.0.0.2/24", "02:00:00:00:00:02");
        assertThat(vm1.ping("10.0.0.2").allAnsweredOnce()).isTrue();

        Background pinging = lab.spawn("ping across the reload", vm1, "ping", "-n", "-c", "30", "-i", "0.1",
            "10.0.0.2");
        Background.sleep(800);
        Files.writeString(daemon.configFile(), """
            switch: {name: it-reload, macMove: {maxMoves: 3}}
            portGroups:
              - {name: lan, vlan: 119, security: {forgedTransmits: accept}, macLearning: {enabled: true, limit: 8}}
              - {name: other, vlan: 120}
            ports:
              - {name: vm1, type: tap, portGroup: lan}
              - {name: vm2, type: tap, portGroup: lan}
              - {name: vm3, type: tap, portGroup: lan}
            """ + api);
        String reload = daemon.cli("config", "reload");
        assertThat(reload).contains("port group lan: vlan 119").contains("limit 8")
            .contains("added port group other").containsPattern("added port vm3 .* on tap vm3")
            .contains("MAC move guard");
        assertThat(pinging.awaitExit(Duration.ofSeconds(20))).isZero();
        assertThat(pinging.output()).as("vm1 -> vm2 across the reload").contains("30 received, 0% packet loss");

        Netns vm3 = lab.vmOnTap("vm3", host, "vm3", "10.0.0.3/24", "02:00:00:00:00:03");
        assertThat(vm3.ping("10.0.0.1").allAnsweredOnce()).as("the new port forwards").isTrue();
        assertThat(daemon.cli("config", "reload")).isEqualTo("no changes\n");

        assertThat(daemon.cli("ports", "add", "vm4", "--type", "tap", "--port-group", "lan"))
            .startsWith("added port vm4");
        assertThat(host.run("ip", "link", "show", "vm4").exitCode()).as("tap vm4 created").isZero();
        assertThat(daemon.cli("ports")).contains("vm4");
        assertThat(daemon.tryCli("ports", "add", "vm4", "--type", "tap", "--port-group", "lan").err())
            .contains("port vm4 exists already");
        assertThat(daemon.tryCli("ports", "add", "vm5", "--type", "tap", "--port-group", "nope").err())
            .contains("no port group 'nope'");
        assertThat(daemon.cli("ports", "del", "vm4")).startsWith("removed port vm4 (and from ");
        assertThat(daemon.cli("ports", "add", "vm4", "--type", "tap", "--port-group", "lan"))
            .as("added again at once: the new tap waits for the old one, which may outlive its removal by some ms")
            .startsWith("added port vm4");
        assertThat(daemon.cli("ports", "del", "vm4")).startsWith("removed port vm4 (and from ");
        assertThat(host.linkGone("vm4")).as("tap vm4 removed").isTrue();
        assertThat(daemon.tryCli("ports", "del", "vm4").err()).contains("no port 'vm4'");

        String before = Files.readString(daemon.configFile());
        Files.writeString(daemon.configFile(), before.replace("switch: {name: it-reload,",
            "switch: {name: it-reload, fdbCapacity: 100,"));
        Cmd.Result restart = daemon.tryCli("config", "reload");
        assertThat(restart.exitCode()).isNotZero();
        assertThat(restart.err()).contains("these changes need a restart of vxswitch: fdbCapacity 8192 -> 100")
            .contains("nothing was changed");
        Files.writeString(daemon.configFile(), before.replace("name: vm3, type: tap", "name: vm3, type: tun"));
        Cmd.Result broken = daemon.tryCli("config", "reload");
        assertThat(broken.err()).containsPattern(":\\d+:\\d+: port 'vm3': type must be tap").contains("nothing was changed");
        assertThat(vm3.ping("10.0.0.1").allAnsweredOnce()).as("vm3 untouched by the refused reloads").isTrue();

        assertThat(daemon.stop()).doesNotContain("Exception");
    }

    /**
     * Issue 16: a port added with {@code vxswitch ports add} is kept in the drop-in beside the config
     * ({@code NAME.d/ports.yaml}): a reload keeps it, a restart brings it back, {@code ports del} forgets it.
     */
    @Test
    void a_port_added_at_run_time_outlives_a_reload_and_a_restart() throws IOException {
        Netns host = lab.netns("host");
        Daemon daemon = Daemon.start(lab, host, V1);
        java.nio.file.Path dropIn = daemon.configFile().resolveSibling(
            daemon.configFile().getFileName().toString().replace(".yaml", ".d")).resolve("ports.yaml");
        assertThat(daemon.cli("ports", "add", "vm4", "--type", "tap", "--port-group", "lan", "--mac",
            "02:00:00:00:00:04", "--mtu", "1450")).startsWith("added port vm4").contains("kept in " + dropIn);
        assertThat(Files.readString(dropIn))
            .contains("- {name: \"vm4\", type: tap, portGroup: \"lan\", mac: \"02:00:00:00:00:04\", mtu: 1450}");
        assertThat(daemon.cli("config", "reload")).as("the drop-in is read back as the port it wrote")
            .isEqualTo("no changes\n");
        assertThat(daemon.tryCli("ports", "add", "vm1", "--type", "tap", "--port-group", "lan").err())
            .contains("port vm1 exists already");
        assertThat(daemon.cli("ports", "del", "vm1")).contains("it is in " + daemon.configFile());
        assertThat(daemon.tryCli("ports", "add", "vm1", "--type", "tap", "--port-group", "lan").err())
            .as("a port of the file is changed in the file").contains("is defined in " + daemon.configFile());
        assertThat(daemon.stop()).doesNotContain("Exception");

        Daemon again = Daemon.start(lab, host, Files.readString(daemon.configFile()));
        assertThat(again.cli("ports")).contains("vm4").contains("vm1");
        assertThat(host.exec("ip", "link", "show", "vm4")).as("its tap is back").contains("mtu 1450");
        Netns vm4 = lab.vmOnTap("vm4", host, "vm4", "10.0.0.4/24", "02:00:00:00:00:04");
        lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        assertThat(vm4.ping("10.0.0.1").allAnsweredOnce()).as("the port forwards after the restart").isTrue();
        assertThat(again.cli("ports", "del", "vm4")).startsWith("removed port vm4 (and from " + dropIn);
        assertThat(dropIn).as("no port added at run time is left: the file goes").doesNotExist();
        assertThat(again.stop()).doesNotContain("Exception");
    }
}
