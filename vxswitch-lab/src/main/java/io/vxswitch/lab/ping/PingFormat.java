package io.vxswitch.lab.ping;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The lines iputils {@code ping} prints on Linux, character for character (ping_common.c {@code
 * gather_statistics} and {@code finish}, ping.c {@code pr_icmph}). Pure formatting: times come in as the
 * microseconds ping measures.
 */
public final class PingFormat {
    /** Data bytes of a default ping; the IP datagram is 28 bytes longer. */
    public static final int DATA_LENGTH = 56;

    private PingFormat() {
    }

    /** {@code PING 10.0.0.3 (10.0.0.3) 56(84) bytes of data.} */
    public static String header(String target) {
        return "PING " + target + " (" + target + ") " + DATA_LENGTH + "(" + (DATA_LENGTH + 28) + ") bytes of data.";
    }

    /** {@code 64 bytes from 10.0.0.3: icmp_seq=1 ttl=64 time=0.412 ms}, with {@code (DUP!)} for a duplicate. */
    public static String reply(int icmpBytes, String from, int seq, int ttl, long rttMicros, boolean duplicate) {
        return icmpBytes + " bytes from " + from + ": icmp_seq=" + seq + " ttl=" + ttl + " time=" + rtt(rttMicros)
            + " ms" + (duplicate ? " (DUP!)" : "");
    }

    /** {@code From 10.0.0.1 icmp_seq=1 Destination Host Unreachable}. */
    public static String error(String from, int seq, String message) {
        return "From " + from + " icmp_seq=" + seq + " " + message;
    }

    /**
     * A round-trip time with three significant digits: {@code 0.412}, {@code 1.23}, {@code 12.3}, {@code 123}
     * (iputils rounds to the shown precision from 1 ms up and truncates below).
     */
    public static String rtt(long micros) {
        if (micros >= 100_000 - 50) {
            return Long.toString((micros + 500) / 1000);
        }
        if (micros >= 10_000 - 5) {
            return (micros + 50) / 1000 + "." + ((micros + 50) % 1000) / 100;
        }
        if (micros >= 1000) {
            return (micros + 5) / 1000 + "." + pad(((micros + 5) % 1000) / 10, 2);
        }
        return micros / 1000 + "." + pad(micros % 1000, 3);
    }

    /**
     * The statistics block, from the blank line before {@code --- target ping statistics ---} to the final
     * newline. Like iputils, it ends with an empty line when there is neither an rtt nor a pipe line.
     */
    public static String summary(String target, PingStats s) {
        StringBuilder sb = new StringBuilder();
        sb.append('\n');
        sb.append("--- ").append(target).append(" ping statistics ---\n");
        sb.append(s.transmitted()).append(" packets transmitted, ").append(s.received()).append(" received");
        if (s.duplicates() > 0) {
            sb.append(", +").append(s.duplicates()).append(" duplicates");
        }
        if (s.errors() > 0) {
            sb.append(", +").append(s.errors()).append(" errors");
        }
        if (s.transmitted() > 0) {
            // iputils casts the percentage to float before printing it with %g.
            float loss = (float) ((s.transmitted() - s.received()) * 100.0 / s.transmitted());
            sb.append(", ").append(formatG(loss)).append("% packet loss");
            sb.append(", time ").append(s.elapsedMillis()).append("ms");
        }
        sb.append('\n');
        String comma = "";
        RttSummary r = s.rtt();
        if (s.received() > 0 && r != null) {
            sb.append("rtt min/avg/max/mdev = ").append(millis(r.minMicros())).append('/')
                .append(millis(r.avgMicros())).append('/').append(millis(r.maxMicros())).append('/')
                .append(millis(r.mdevMicros())).append(" ms");
            comma = ", ";
        }
        if (s.pipe() > 1) {
            sb.append(comma).append("pipe ").append(s.pipe());
        }
        sb.append('\n');
        return sb.toString();
    }

    /** {@code %ld.%03ld} of a microsecond value: 412 → {@code 0.412}. */
    static String millis(long micros) {
        return micros / 1000 + "." + pad(micros % 1000, 3);
    }

    /**
     * C's {@code printf("%g")}: six significant digits, trailing zeros removed, exponent form below 1e-4
     * or from 1e6 up.
     */
    public static String formatG(double value) {
        if (value == 0) {
            return "0";
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            BigDecimal mantissa = rounded.movePointLeft(exponent);
            String m = stripZeros(mantissa.toPlainString());
            return m + "e" + (exponent < 0 ? "-" : "+") + pad(Math.abs(exponent), 2);
        }
        return stripZeros(rounded.toPlainString());
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    private static String pad(long v, int width) {
        String s = Long.toString(v);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }
}
