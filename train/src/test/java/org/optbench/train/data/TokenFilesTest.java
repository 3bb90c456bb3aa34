package org.optbench.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.train.text.TokenFileException;

class TokenFilesTest {

    @TempDir
    Path dir;

    @Test
    void explicitBatchesTakeRowKWithInputsAndShiftedTargets() {
        int n = 3;
        int b = 2;
        int t = 4;
        int[] values = new int[n * b * (t + 1)];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        for (NpyArray.Dtype dtype : new NpyArray.Dtype[] {NpyArray.Dtype.INT32, NpyArray.Dtype.UINT16}) {
            Path file = dir.resolve("batches-" + dtype + ".npy");
            NpyWriter.write(file, new long[] {n, b, t + 1}, values, dtype);
            ExplicitBatches batches = new ExplicitBatches(NpyArray.open(file));
            assertEquals(2, batches.batchSize());
            assertEquals(4, batches.seqLen());
            int[] in = new int[b * t];
            int[] out = new int[b * t];
            batches.batch(1, in, out);
            assertArrayEquals(new int[] {10, 11, 12, 13, 15, 16, 17, 18}, in);
            assertArrayEquals(new int[] {11, 12, 13, 14, 16, 17, 18, 19}, out);
            TokenFileException e = assertThrows(TokenFileException.class, () -> batches.batch(3, in, out));
            assertTrue(e.getMessage().contains("batch index 3"), e.getMessage());
        }
    }

    @Test
    void sequentialBatchesFollowLlmC() {
        int[] values = new int[50];
        Arrays.setAll(values, i -> 100 + i);
        Path file = dir.resolve("stream.npy");
        NpyWriter.write(file, new long[] {50}, values, NpyArray.Dtype.UINT16);
        SequentialBatches batches = new SequentialBatches(SequentialBatches.of(NpyArray.open(file)), 2, 3);
        int[] in = new int[6];
        int[] out = new int[6];
        batches.batch(2, in, out);
        assertArrayEquals(new int[] {112, 113, 114, 115, 116, 117}, in);
        assertArrayEquals(new int[] {113, 114, 115, 116, 117, 118}, out);
    }

    @Test
    void rejectsBadFilesWithTheReason() throws IOException {
        Path notNpy = dir.resolve("x.npy");
        Files.writeString(notNpy, "hello world, not numpy");
        assertTrue(assertThrows(TokenFileException.class, () -> NpyArray.open(notNpy)).getMessage().contains("magic"));
        Path floats = dir.resolve("f.npy");
        NpyWriter.write(floats, new long[] {2}, new int[] {1, 2}, NpyArray.Dtype.INT32);
        byte[] bytes = Files.readAllBytes(floats);
        String s = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("<i4", "<f4");
        Files.write(floats, s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(TokenFileException.class, () -> NpyArray.open(floats)).getMessage().contains("'<f4'"));
        Path cut = dir.resolve("cut.npy");
        NpyWriter.write(cut, new long[] {4, 2, 3}, new int[24], NpyArray.Dtype.INT32);
        byte[] full = Files.readAllBytes(cut);
        Files.write(cut, Arrays.copyOf(full, full.length - 4));
        assertTrue(assertThrows(TokenFileException.class, () -> NpyArray.open(cut)).getMessage().contains("truncated"));
        Path flat = dir.resolve("flat.npy");
        NpyWriter.write(flat, new long[] {6}, new int[6], NpyArray.Dtype.INT32);
        assertTrue(assertThrows(TokenFileException.class, () -> new ExplicitBatches(NpyArray.open(flat)))
                .getMessage().contains("(N, B, T+1)"));
    }

    @Test
    void syntheticStreamIsPositionAddressed() {
        SyntheticTokens tokens = new SyntheticTokens(50, 2, 100_000, 3);
        int[] all = new int[9000];
        tokens.read(0, all, 0, all.length);
        int[] part = new int[100];
        tokens.read(4050, part, 0, 100);
        assertArrayEquals(Arrays.copyOfRange(all, 4050, 4150), part);
    }
}
