package org.optbench.kernels.cpu;

import org.optbench.kernels.TensorChecks;

/**
 * Token embedding lookup and its scatter-add gradient. Forward is parallel over rows; backward is
 * parallel over channel blocks, so rows that share a token never race on the same element.
 *
 * <p>Shapes: tokens (N); wte, dwte (V,C); out, dout (N,C).
 */
final class EmbeddingKernels {

    private static final int CHANNEL_BLOCK = 64;

    private final WorkerPool pool;

    EmbeddingKernels(WorkerPool pool) {
        this.pool = pool;
    }

    void forward(CpuFloatTensor out, CpuIntTensor tokens, CpuFloatTensor wte, int n, int c) {
        int vocab = (int) (wte.length() / c);
        pool.forRange(n, 64, (from, to) -> {
            for (int row = from; row < to; row++) {
                int token = tokens.array[tokens.offset() + row];
                if (token < 0 || token >= vocab) {
                    throw TensorChecks.tokenOutsideVocabulary(token, row, vocab);
                }
                System.arraycopy(wte.array, wte.offset() + token * c, out.array, out.offset() + row * c, c);
            }
        });
    }

    void backward(CpuFloatTensor dwte, CpuFloatTensor dout, CpuIntTensor tokens, int n, int c) {
        int blocks = (c + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK;
        float[] dw = dwte.array;
        float[] dy = dout.array;
        pool.forRange(blocks, 1, (from, to) -> {
            for (int blk = from; blk < to; blk++) {
                int c0 = blk * CHANNEL_BLOCK;
                int c1 = Math.min(c, c0 + CHANNEL_BLOCK);
                for (int row = 0; row < n; row++) {
                    int w = dwte.offset() + tokens.array[tokens.offset() + row] * c;
                    int y = dout.offset() + row * c;
                    for (int i = c0; i < c1; i++) {
                        dw[w + i] += dy[y + i];
                    }
                }
            }
        });
    }
}
