package io.vxswitch.app.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Linux VM under QEMU whose one NIC is a virtio-net on a vhost-user socket, booted with the command line docs/vms.md
 * gives (TCG here: this machine and CI have no KVM). The guest is Debian's kernel with a busybox initramfs
 * ({@code scripts/guest-image.sh}, cached under /var/cache/vxswitch-guest), whose /init loads virtio_net, configures
 * eth0, pings a peer, sends a blob over TCP and reads it back, prints {@code VMQ ...} lines on the serial console, and
 * powers the VM off: one boot is one run of that script, QEMU exits by itself at the end.
 */
final class QemuGuest {
    private static final Path SCRIPT = Path.of("../scripts/guest-image.sh");
    private static final Pattern INIT = Pattern.compile("VMQ init after ([0-9.]+) s");
    private static final Pattern DONE = Pattern.compile("^VMQ DONE after ([0-9.]+) s", Pattern.MULTILINE);
    private static final Pattern FEATURES =
        Pattern.compile("^VMQ eth0 mac (\\S+) mtu (\\d+) driver-features ([01]+)", Pattern.MULTILINE);

    /** The kernel and initramfs {@code scripts/guest-image.sh} printed. */
    record Image(Path kernel, Path initrd) {
    }

    private static Image image;

    private final Background process;
    private final List<String> command;
    private final long startNanos;

    private QemuGuest(Background process, List<String> command, long startNanos) {
        this.process = process;
        this.command = command;
        this.startNanos = startNanos;
    }

    /**
     * The guest's kernel and initramfs, built (or found in the cache) once per JVM. Fails, never skips, when they
     * cannot be had: the VM test is the proof that a real guest works, and CI has what the script needs.
     */
    static synchronized Image image() {
        if (image != null) {
            return image;
        }
        Path script = SCRIPT.toAbsolutePath().normalize();
        // the first run downloads Debian's kernel package (~70 MB) and unpacks it: ~10 s here, minutes on a slow mirror
        Cmd.Result r = Cmd.run(List.of(script.toString()), Duration.ofMinutes(5));
        if (!r.ok()) {
            throw new AssertionError("cannot build the Linux guest (Debian's kernel from the archive and a "
                + "busybox-static initramfs) with " + script + " - the VM test needs it:\n" + r.describe());
        }
        Path kernel = null;
        Path initrd = null;
        for (String line : r.out().lines().toList()) {
            if (line.startsWith("kernel ")) {
                kernel = Path.of(line.substring(7).trim());
            } else if (line.startsWith("initrd ")) {
                initrd = Path.of(line.substring(7).trim());
            }
        }
        if (kernel == null || initrd == null) {
            throw new AssertionError(script + " printed no 'kernel PATH' and 'initrd PATH' lines:\n" + r.describe());
        }
        image = new Image(kernel, initrd);
        return image;
    }

    /**
     * QEMU's command line: q35 under TCG, 256 MB of guest memory in a shared memfd (vhost-user maps it), the NIC
     * {@code mac} on vhost-user socket {@code socket}, which QEMU creates when {@code qemuIsServer} (vxswitch's
     * {@code mode: client}) and connects to otherwise, the image's kernel with {@code append} after the console
     * settings, no display, and an exit instead of a reboot.
     *
     * <p>{@code vectors=0}: the NIC has no MSI-X, the guest's driver takes the legacy interrupt. QEMU 7.2 (Debian 12)
     * under TCG segfaults in vhost_net_start as soon as a guest's driver starts a vhost-user NIC with MSI-X enabled
     * (msix_set_vector_notifiers, then the irqfd path, which only KVM has: vhost-user turns guest notifier masking
     * off); QEMU 8.0's virtio-pci config-interrupt series no longer sets vector notifiers then. With KVM, MSI-X
     * works and this is not needed (docs/vms.md).
     */
    static List<String> command(Image image, Path socket, boolean qemuIsServer, String mac, String append) {
        return command(image, socket, qemuIsServer, mac, 1, append);
    }

    /**
     * As above with {@code pairs} queue pairs on the NIC ({@code queues=} on the netdev, {@code mq=on} on the device)
     * and as many vCPUs, since Linux's virtio_net runs one pair per vCPU.
     */
    static List<String> command(Image image, Path socket, boolean qemuIsServer, String mac, int pairs, String append) {
        return List.of("qemu-system-x86_64", "-machine", "q35", "-accel", "tcg", "-m", "256", "-smp", "" + pairs,
            "-object", "memory-backend-memfd,id=mem,size=256M,share=on", "-numa", "node,memdev=mem",
            "-chardev", "socket,id=c1,path=" + socket + (qemuIsServer ? ",server=on,wait=off" : ""),
            "-netdev", "vhost-user,id=n1,chardev=c1" + (pairs > 1 ? ",queues=" + pairs : ""),
            "-device", "virtio-net-pci,netdev=n1,mac=" + mac + ",vectors=0" + (pairs > 1 ? ",mq=on" : ""),
            "-kernel", image.kernel().toString(), "-initrd", image.initrd().toString(),
            "-append", "console=ttyS0 quiet panic=-1 " + append,
            "-nographic", "-no-reboot");
    }

    /** Starts QEMU in {@code ns} (the lab stops it on close, should the guest not power off). */
    static QemuGuest boot(Lab lab, Netns ns, String name, Image image, Path socket, boolean qemuIsServer, String mac,
                          String append) {
        return boot(lab, ns, name, image, socket, qemuIsServer, mac, 1, append);
    }

    /** As above with {@code pairs} queue pairs and vCPUs ({@link #command(Image, Path, boolean, String, int, String)}). */
    static QemuGuest boot(Lab lab, Netns ns, String name, Image image, Path socket, boolean qemuIsServer, String mac,
                          int pairs, String append) {
        List<String> c = command(image, socket, qemuIsServer, mac, pairs, append);
        long start = System.nanoTime();
        Background b = lab.spawn("qemu " + name, ns, Map.of(), c.toArray(String[]::new));
        return new QemuGuest(b, c, start);
    }

    /** The command line, as a shell would show it (for failure messages and docs/vms.md). */
    String commandLine() {
        List<String> quoted = new ArrayList<>();
        for (String s : command) {
            quoted.add(s.matches("[A-Za-z0-9_./,=:-]+") ? s : "'" + s + "'");
        }
        return String.join(" ", quoted);
    }

    /** The serial console so far (the kernel's lines and the guest's VMQ lines), with QEMU's own messages. */
    String console() {
        return process.output().replace("\r", "");
    }

    /**
     * Waits until the guest printed its last line ({@code VMQ DONE}); fails with the console if QEMU exits first or
     * {@code timeout} passes. Returns the wall time from QEMU's start.
     */
    Duration awaitDone(Duration timeout) {
        process.awaitOutput(out -> DONE.matcher(out).find(), "the guest's 'VMQ DONE' line (its /init's end)", timeout);
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * Waits until the console has a line matching {@code regex}; fails with the console if QEMU exits first or
     * {@code timeout} passes. Returns the wall time from QEMU's start.
     */
    Duration awaitLine(String regex, Duration timeout) {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        process.awaitOutput(out -> p.matcher(out.replace("\r", "")).find(), "a console line matching /" + regex + "/",
            timeout);
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** QEMU's exit once the guest powered off; its status, or -1 if it still runs after {@code timeout}. */
    int awaitExit(Duration timeout) {
        return process.awaitExit(timeout);
    }

    /** Guest seconds from the kernel's start to /init's start (its {@code /proc/uptime}), NaN if not printed. */
    double kernelBootSeconds() {
        Matcher m = INIT.matcher(console());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** Guest seconds from the kernel's start to the end of /init. */
    double guestSeconds() {
        Matcher m = DONE.matcher(console());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** The first line starting {@code VMQ prefix}, without "VMQ ", or null. */
    String line(String prefix) {
        return console().lines().filter(l -> l.startsWith("VMQ " + prefix)).map(l -> l.substring(4)).findFirst()
            .orElse(null);
    }

    /** eth0's MTU as the guest saw it. */
    int mtu() {
        Matcher m = FEATURES.matcher(console());
        return m.find() ? Integer.parseInt(m.group(2)) : -1;
    }

    /**
     * The virtio feature bits the guest's driver accepted ({@code /sys/class/net/eth0/device/features}, bit 0 first),
     * named where linux/virtio_net.h names them: "CSUM, GUEST_CSUM, ... VERSION_1".
     */
    String features() {
        Matcher m = FEATURES.matcher(console());
        if (!m.find()) {
            return "?";
        }
        String bits = m.group(3);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < bits.length(); i++) {
            if (bits.charAt(i) == '1') {
                names.add(featureName(i));
            }
        }
        return String.join(", ", names);
    }

    private static String featureName(int bit) {
        return switch (bit) {
            case 0 -> "CSUM";
            case 1 -> "GUEST_CSUM";
            case 2 -> "CTRL_GUEST_OFFLOADS";
            case 3 -> "MTU";
            case 5 -> "MAC";
            case 7 -> "GUEST_TSO4";
            case 8 -> "GUEST_TSO6";
            case 9 -> "GUEST_ECN";
            case 10 -> "GUEST_UFO";
            case 11 -> "HOST_TSO4";
            case 12 -> "HOST_TSO6";
            case 13 -> "HOST_ECN";
            case 14 -> "HOST_UFO";
            case 15 -> "MRG_RXBUF";
            case 16 -> "STATUS";
            case 17 -> "CTRL_VQ";
            case 18 -> "CTRL_RX";
            case 19 -> "CTRL_VLAN";
            case 21 -> "GUEST_ANNOUNCE";
            case 22 -> "MQ";
            case 23 -> "CTRL_MAC_ADDR";
            case 27 -> "ANY_LAYOUT";
            case 28 -> "RING_INDIRECT_DESC";
            case 29 -> "RING_EVENT_IDX";
            case 32 -> "VERSION_1";
            case 33 -> "ACCESS_PLATFORM";
            case 34 -> "RING_PACKED";
            default -> "bit " + bit;
        };
    }
}
