package org.optbench.train.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.optbench.train.text.TokenFileException;

/**
 * A memory-mapped NumPy {@code .npy} array of token ids: little-endian int32, uint16 or int64
 * (values must fit int32), C order, any rank. The file is mapped in windows of at most 1 GiB so
 * token files larger than 2 GiB read as well as small ones.
 */
public final class NpyArray {

    /** Element types a token file may hold. */
    public enum Dtype {
        INT32("<i4", 4), UINT16("<u2", 2), INT64("<i8", 8);

        final String descr;
        final int bytes;

        Dtype(String descr, int bytes) {
            this.descr = descr;
            this.bytes = bytes;
        }

        static Dtype of(String descr, Path path) {
            for (Dtype d : values()) {
                if (d.descr.equals(descr) || (d == UINT16 && descr.equals("|u2"))) {
                    return d;
                }
            }
            throw new TokenFileException(path + " holds dtype '" + descr
                    + "'; token files must be int32 ('<i4'), uint16 ('<u2') or int64 ('<i8')");
        }
    }

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final long WINDOW = 1L << 30;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final Path path;
    private final Dtype dtype;
    private final long[] shape;
    private final long count;
    private final MappedByteBuffer[] windows;
    private final long dataStart;

    private NpyArray(Path path, Dtype dtype, long[] shape, long dataStart, MappedByteBuffer[] windows) {
        this.path = path;
        this.dtype = dtype;
        this.shape = shape;
        this.dataStart = dataStart;
        this.windows = windows;
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        this.count = n;
    }

    public static NpyArray open(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer pre = ByteBuffer.allocate((int) Math.min(size, 12)).order(ByteOrder.LITTLE_ENDIAN);
            while (pre.hasRemaining() && ch.read(pre, pre.position()) > 0) {
                // keep reading the preamble
            }
            pre.flip();
            byte[] magic = new byte[Math.min(6, pre.remaining())];
            pre.get(magic);
            if (!Arrays.equals(magic, MAGIC) || pre.remaining() < 4) {
                throw new TokenFileException(path + " is not a NumPy .npy file (bad magic bytes)");
            }
            int major = pre.get() & 0xff;
            pre.get();
            long headerLen;
            int headerStart;
            if (major == 1) {
                headerLen = pre.getShort() & 0xffff;
                headerStart = 10;
            } else if (major == 2 || major == 3) {
                if (pre.remaining() < 4) {
                    throw new TokenFileException(path + " is truncated inside its header");
                }
                headerLen = pre.getInt() & 0xffffffffL;
                headerStart = 12;
            } else {
                throw new TokenFileException(path + " uses .npy format version " + major + ", not 1, 2 or 3");
            }
            if (headerStart + headerLen > size) {
                throw new TokenFileException(path + " is truncated inside its header");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            ch.read(hb, headerStart);
            String header = new String(hb.array(), StandardCharsets.ISO_8859_1);
            Dtype dtype = Dtype.of(match(DESCR, header, "descr", path), path);
            if (match(FORTRAN, header, "fortran_order", path).equals("True")) {
                throw new TokenFileException(path + " is in Fortran order; save it in C order (np.ascontiguousarray)");
            }
            long[] shape = parseShape(match(SHAPE, header, "shape", path), path);
            long dataStart = headerStart + headerLen;
            long count = 1;
            for (long d : shape) {
                count *= d;
            }
            long need = dataStart + count * dtype.bytes;
            if (size < need) {
                throw new TokenFileException(path + " is truncated: shape " + Arrays.toString(shape) + " of "
                        + dtype.descr + " needs " + need + " bytes, the file has " + size);
            }
            long dataBytes = count * dtype.bytes;
            int nWindows = (int) Math.max(1, (dataBytes + WINDOW - 1) / WINDOW);
            MappedByteBuffer[] windows = new MappedByteBuffer[nWindows];
            for (int w = 0; w < nWindows; w++) {
                long start = dataStart + w * WINDOW;
                long len = Math.min(WINDOW + 8, size - start);
                windows[w] = ch.map(FileChannel.MapMode.READ_ONLY, start, Math.max(0, len));
                windows[w].order(ByteOrder.LITTLE_ENDIAN);
            }
            return new NpyArray(path, dtype, shape, dataStart, windows);
        } catch (IOException e) {
            throw new TokenFileException(e instanceof java.nio.file.NoSuchFileException ? "no such file: " + path
                    : "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static String match(Pattern p, String header, String key, Path path) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new TokenFileException(path + " has no '" + key + "' in its .npy header: " + header.trim());
        }
        return m.group(1);
    }

    private static long[] parseShape(String text, Path path) {
        String[] parts = text.split(",");
        return Arrays.stream(parts).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(s -> {
            try {
                return Long.parseLong(s.replace("L", ""));
            } catch (NumberFormatException e) {
                throw new TokenFileException(path + " has an unreadable shape (" + text + ")");
            }
        }).toArray();
    }

    public Path path() {
        return path;
    }

    public Dtype dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long count() {
        return count;
    }

    /** Copies elements {@code [from, from + n)} (flat, C order) into {@code dst[dstOffset..]}. */
    public void read(long from, int[] dst, int dstOffset, int n) {
        if (from < 0 || from + n > count) {
            throw new TokenFileException(path + ": elements [" + from + ", " + (from + n) + ") lie outside its "
                    + count + " elements");
        }
        for (int i = 0; i < n; i++) {
            long byteIndex = (from + i) * dtype.bytes;
            MappedByteBuffer w = windows[(int) (byteIndex / WINDOW)];
            int at = (int) (byteIndex % WINDOW);
            long value = switch (dtype) {
                case INT32 -> w.getInt(at);
                case UINT16 -> w.getShort(at) & 0xffff;
                case INT64 -> w.getLong(at);
            };
            if (value < 0 || value > Integer.MAX_VALUE) {
                throw new TokenFileException(path + ": element " + (from + i) + " is " + value
                        + ", not a valid token id");
            }
            dst[dstOffset + i] = (int) value;
        }
    }

    /** Byte offset of the data section, for diagnostics. */
    long dataStart() {
        return dataStart;
    }
}
