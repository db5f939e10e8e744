package io.vxswitch.lab;

import io.vxswitch.lab.topology.Topology;
import io.vxswitch.lab.topology.TopologyParser;
import io.vxswitch.lab.topology.VdsSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The topologies shipped with the lab, as YAML resources: examples of the file format ({@code vxswitch lab example
 * NAME}) and the stories {@link SeedPolicy} replays. Each names the VDS port group whose policy the story is about.
 */
public enum LabExample {
    /**
     * The seed article: VLAN 119 of an ESXi host stretched over VXLAN, across a routed underlay, to a KVM host; a
     * CentOS VM on the ESXi host bridges its eth0 (on the port group the story is about) into the tunnel.
     */
    SEED("seed", "seed.yaml", "VLAN 119 stretched by a VXLAN tunnel from a CentOS VM on ESXi to a KVM host",
        "esxi", "vlan119-vtep"),
    /** The first half of the story: a nested hypervisor's VMs behind its single vNIC. */
    NESTED("nested", "nested.yaml", "a nested hypervisor's VMs behind its single vNIC on a VDS port",
        "esxi", "vlan119-nested");

    private final String label;
    private final String resource;
    private final String summary;
    private final String policySwitch;
    private final String policyPortGroup;

    LabExample(String label, String file, String summary, String policySwitch, String policyPortGroup) {
        this.label = label;
        this.resource = "/io/vxswitch/lab/" + file;
        this.summary = summary;
        this.policySwitch = policySwitch;
        this.policyPortGroup = policyPortGroup;
    }

    /** The CLI spelling: {@code seed}, {@code nested}. */
    public String label() {
        return label;
    }

    public String summary() {
        return summary;
    }

    /** The file name, used in messages about the topology. */
    public String fileName() {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    /** The VDS host whose port group {@link SeedPolicy} changes. */
    public String policySwitch() {
        return policySwitch;
    }

    /** The port group {@link SeedPolicy} changes. */
    public String policyPortGroup() {
        return policyPortGroup;
    }

    /** The topology file's text. */
    public String yaml() {
        try (InputStream in = LabExample.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the lab jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The topology as the file sets it. */
    public Topology topology() {
        return TopologyParser.parse(fileName(), yaml());
    }

    /** The topology with the story's port group set by {@code policy}, and Net.ReversePathFwdCheckPromisc. */
    public Topology topology(SeedPolicy policy, boolean reversePathCheckPromisc) {
        Topology t = topology();
        VdsSpec sw = t.vds(policySwitch);
        return t.withVds(sw.withPortGroup(policy.apply(sw.portGroup(policyPortGroup)))
            .withReversePathCheckPromisc(reversePathCheckPromisc));
    }

    /** The example called {@code name} (case-insensitive). */
    public static LabExample parse(String name) {
        for (LabExample e : values()) {
            if (e.label.equalsIgnoreCase(name.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("no lab example '" + name + "' (have: "
            + Arrays.stream(values()).map(LabExample::label).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
