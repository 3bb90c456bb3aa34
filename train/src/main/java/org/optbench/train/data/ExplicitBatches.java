package org.optbench.train.data;

import java.util.Arrays;
import org.optbench.train.text.TokenFileException;

/**
 * Batches handed over explicitly as a 3-D token array of shape (N, B, T+1): batch k is row k,
 * inputs are {@code [:, :T]} and targets {@code [:, 1:]}. This is how other frameworks pass
 * exactly the batches they used.
 */
public final class ExplicitBatches implements BatchSource {

    private final NpyArray array;
    private final int batch;
    private final int seqLen;
    private final long count;
    private final int[] row;

    public ExplicitBatches(NpyArray array) {
        long[] shape = array.shape();
        if (shape.length != 3 || shape[2] < 2) {
            throw new TokenFileException(array.path() + " has shape " + Arrays.toString(shape)
                    + "; explicit batches need three dimensions (N, B, T+1) with T >= 1");
        }
        this.array = array;
        this.count = shape[0];
        this.batch = Math.toIntExact(shape[1]);
        this.seqLen = Math.toIntExact(shape[2] - 1);
        this.row = new int[batch * (seqLen + 1)];
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
        return count;
    }

    @Override
    public void batch(long k, int[] inputs, int[] targets) {
        if (k < 0 || k >= count) {
            throw new TokenFileException("batch index " + k + " is outside the " + count + " batches of "
                    + array.path() + "; use 0.." + (count - 1));
        }
        int width = seqLen + 1;
        array.read(k * row.length, row, 0, row.length);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(row, b * width, inputs, b * seqLen, seqLen);
            System.arraycopy(row, b * width + 1, targets, b * seqLen, seqLen);
        }
    }
}
