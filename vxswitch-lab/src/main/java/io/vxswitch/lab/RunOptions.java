package io.vxswitch.lab;

import java.nio.file.Path;

/**
 * What a lab run records besides the pings.
 *
 * @param explain       follow the first ping's ARP exchange and tell it as numbered steps ({@code --explain})
 * @param pcapDirectory write one pcap file per link into this directory ({@code --pcap DIR}), or null
 */
public record RunOptions(boolean explain, Path pcapDirectory) {
    /** Pings, MAC tables and traces only. */
    public static final RunOptions PLAIN = new RunOptions(false, null);

    public RunOptions withExplain(boolean on) {
        return new RunOptions(on, pcapDirectory);
    }

    public RunOptions withPcap(Path directory) {
        return new RunOptions(explain, directory);
    }
}
