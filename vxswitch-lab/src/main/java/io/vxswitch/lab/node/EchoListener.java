package io.vxswitch.lab.node;

/**
 * A ping's socket on a {@link Host}: receives the echo replies carrying its identifier and the ICMP errors
 * the host's own IP layer reports for its echo requests.
 */
public interface EchoListener {
    /** An echo reply: {@code icmpBytes} is the ICMP message length ping prints as "64 bytes". */
    void reply(int seq, int fromIp, int ttl, int icmpBytes);

    /** An error for echo request {@code seq}, e.g. {@code Destination Host Unreachable} from the host itself. */
    void error(int seq, int fromIp, String message);
}
