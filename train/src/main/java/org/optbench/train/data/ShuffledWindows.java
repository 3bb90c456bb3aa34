package org.optbench.train.data;

import java.util.SplittableRandom;
import org.optbench.train.text.TokenFileException;

/**
 * Seeded random windows from a 1-D token stream (the default batch order): batch k holds B windows
 * of T+1 tokens at offsets drawn from a generator seeded by (seed, k), so any batch can be rebuilt
 * from its index alone, which is what makes resumed runs bit-identical.
 */
public final class ShuffledWindows implements BatchSource {

    private final SequentialBatches.TokenStream tokens;
    private final int batch;
    private final int seqLen;
    private final long seed;
    private final int[] window;

    public ShuffledWindows(SequentialBatches.TokenStream tokens, int batch, int seqLen, long seed) {
        if (seqLen + 1L > tokens.length()) {
            throw new TokenFileException("a sequence of " + seqLen + " tokens needs " + (seqLen + 1)
                    + " tokens of data; the stream has " + tokens.length() + ": lower --seq-len");
        }
        this.tokens = tokens;
        this.batch = batch;
        this.seqLen = seqLen;
        this.seed = seed;
        this.window = new int[seqLen + 1];
    }

    @Override
    public int batchSize() {
        return batch;
    }

    @Override
    public int seqLen() {
        return seqLen;
    }

    @Override
    public long batchCount() {
        return Long.MAX_VALUE;
    }

    @Override
    public void batch(long k, int[] inputs, int[] targets) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + k);
        long span = tokens.length() - seqLen;
        for (int b = 0; b < batch; b++) {
            long start = rng.nextLong(span);
            tokens.read(start, window, 0, seqLen + 1);
            System.arraycopy(window, 0, inputs, b * seqLen, seqLen);
            System.arraycopy(window, 1, targets, b * seqLen, seqLen);
        }
    }
}
