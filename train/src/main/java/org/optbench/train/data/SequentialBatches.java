package org.optbench.train.data;

import org.optbench.train.text.TokenFileException;

/**
 * Batches read from a 1-D token stream as llm.c does: batch k reads B*T+1 contiguous tokens
 * starting at k*B*T; inputs are the first B*T and targets the same shifted by one.
 */
public final class SequentialBatches implements BatchSource {

    private final TokenStream tokens;
    private final int batch;
    private final int seqLen;
    private final int[] window;

    /** A source of token ids addressed by position. */
    public interface TokenStream {
        long length();

        void read(long from, int[] dst, int dstOffset, int n);
    }

    public SequentialBatches(TokenStream tokens, int batch, int seqLen) {
        if ((long) batch * seqLen + 1 > tokens.length()) {
            throw new TokenFileException("a batch of " + batch + " x " + seqLen + " tokens needs "
                    + ((long) batch * seqLen + 1) + " tokens; the stream has " + tokens.length());
        }
        this.tokens = tokens;
        this.batch = batch;
        this.seqLen = seqLen;
        this.window = new int[batch * seqLen + 1];
    }

    /** A 1-D {@code .npy} token file as a stream. */
    public static TokenStream of(NpyArray array) {
        if (array.shape().length != 1) {
            throw new TokenFileException(array.path() + " has shape " + java.util.Arrays.toString(array.shape())
                    + "; a token stream is 1-D");
        }
        return new TokenStream() {
            @Override
            public long length() {
                return array.count();
            }

            @Override
            public void read(long from, int[] dst, int dstOffset, int n) {
                array.read(from, dst, dstOffset, n);
            }
        };
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
        return (tokens.length() - 1) / ((long) batch * seqLen);
    }

    @Override
    public void batch(long k, int[] inputs, int[] targets) {
        long n = (long) batch * seqLen;
        long start = (k % batchCount()) * n;
        tokens.read(start, window, 0, window.length);
        System.arraycopy(window, 0, inputs, 0, (int) n);
        System.arraycopy(window, 1, targets, 0, (int) n);
    }
}
