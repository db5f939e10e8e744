package io.vxswitch.app.client;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes a pcap stream through and counts its records, reading only the 24-byte file header and each 16-byte record
 * header (the captured length at offset 8), so {@code vxswitch capture} can say how many frames it wrote.
 */
public final class PcapCounter extends FilterOutputStream {
    private static final int FILE_HEADER = 24;
    private static final int RECORD_HEADER = 16;

    private long position;
    /** Where the next record header starts. */
    private long nextRecord = FILE_HEADER;
    private final byte[] header = new byte[RECORD_HEADER];
    private long records;

    public PcapCounter(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        see((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        for (int i = 0; i < len; i++) {
            see(b[off + i]);
        }
    }

    private void see(byte b) {
        if (position >= nextRecord && position < nextRecord + RECORD_HEADER) {
            header[(int) (position - nextRecord)] = b;
            if (position == nextRecord + RECORD_HEADER - 1) {
                long captured = (header[8] & 0xFFL) | (header[9] & 0xFFL) << 8 | (header[10] & 0xFFL) << 16
                    | (header[11] & 0xFFL) << 24;
                records++;
                nextRecord += RECORD_HEADER + captured;
            }
        }
        position++;
    }

    /** Complete record headers seen so far. */
    public long records() {
        return records;
    }
}
