/**
 * Capture files of a lab run: {@link io.vxswitch.lab.capture.PcapCapture} taps every link and writes one classic
 * libpcap file per link ({@link io.vxswitch.packet.pcap.PcapWriter}: nanosecond timestamps in virtual time,
 * Ethernet link type), for Wireshark, tshark and tcpdump.
 */
package io.vxswitch.lab.capture;
