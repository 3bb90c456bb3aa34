package org.optbench.train.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.optbench.train.text.TokenFileException;

/**
 * Writes token ids as a NumPy {@code .npy} file (format 1.0, C order), as uint16 when every id
 * fits and int32 otherwise, or as the dtype asked for.
 */
public final class NpyWriter {

    private NpyWriter() {
    }

    public static void write(Path path, long[] shape, int[] values, NpyArray.Dtype dtype) {
        if (dtype == NpyArray.Dtype.INT64) {
            throw new TokenFileException("optbench writes token files as int32 or uint16, not int64");
        }
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        if (shape.length > 1) {
            dims.setLength(dims.length() - 2);
        } else if (shape.length == 1) {
            dims.setLength(dims.length() - 1);
        }
        String dict = "{'descr': '" + dtype.descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        try (OutputStream out = Files.newOutputStream(path)) {
            ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            pre.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
            pre.putShort((short) header.length());
            out.write(pre.array());
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            ByteBuffer data = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (int v : values) {
                if (dtype == NpyArray.Dtype.UINT16 && (v < 0 || v > 0xffff)) {
                    throw new TokenFileException("token id " + v + " does not fit uint16; write int32");
                }
                if (data.remaining() < 4) {
                    out.write(data.array(), 0, data.position());
                    data.clear();
                }
                if (dtype == NpyArray.Dtype.UINT16) {
                    data.putShort((short) v);
                } else {
                    data.putInt(v);
                }
            }
            out.write(data.array(), 0, data.position());
        } catch (IOException e) {
            throw new TokenFileException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }
}
