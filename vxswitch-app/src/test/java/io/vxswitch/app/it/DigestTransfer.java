package io.vxswitch.app.it;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An end-to-end integrity check over TCP: 20 MiB of seeded random bytes from one namespace to another, the SHA-256
 * of what was sent against the SHA-256 of what arrived. For paths where a receiver trusts a checksum it did not
 * verify (a coalesced super-frame marked "checksum left to the NIC"), so corruption on the way would go unnoticed
 * by TCP itself.
 */
final class DigestTransfer {
    private DigestTransfer() {
    }

    /** Sends from {@code from} to a receiver in {@code to} listening on {@code toIp}:9000 and asserts the digests. */
    static void assertIntact(Lab lab, Netns from, Netns to, String toIp, int seed) {
        Background receiver = lab.spawn("sha256 receiver " + to.name(), to, "python3", "-c", RECEIVER, toIp);
        receiver.awaitOutput(out -> out.contains("listening"), "'listening'", Duration.ofSeconds(10));
        Cmd.Result sent = from.run(Duration.ofSeconds(60), "python3", "-c", SENDER, toIp, Integer.toString(seed));
        assertThat(sent.ok()).as(sent.out() + sent.err()).isTrue();
        receiver.awaitOutput(out -> out.contains("received "), "the receiver's digest", Duration.ofSeconds(20));
        assertThat(receiver.output()).as("bytes and SHA-256 " + toIp + " received, against what was sent")
            .contains(sent.out().strip().replace("sent ", "received "));
    }

    /** Listens on argv[1]:9000, prints "received BYTES SHA256" once the sender closes. */
    private static final String RECEIVER = """
        import hashlib, socket, sys
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((sys.argv[1], 9000)); s.listen(1); print("listening", flush=True)
        c, _ = s.accept(); h = hashlib.sha256(); n = 0
        while True:
            b = c.recv(1 << 20)
            if not b: break
            h.update(b); n += len(b)
        print("received", n, h.hexdigest(), flush=True)
        """;
    /** Sends 20 MiB of random bytes seeded with argv[2] to argv[1]:9000, prints "sent BYTES SHA256". */
    private static final String SENDER = """
        import hashlib, random, socket, sys
        r = random.Random(int(sys.argv[2])); h = hashlib.sha256(); n = 0
        s = socket.create_connection((sys.argv[1], 9000), timeout=30)
        for i in range(320):
            b = r.randbytes(65536); h.update(b); s.sendall(b); n += len(b)
        s.close(); print("sent", n, h.hexdigest())
        """;
}
