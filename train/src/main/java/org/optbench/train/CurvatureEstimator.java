package org.optbench.train;

import org.optbench.model.Transformer;
import org.optbench.train.data.BatchSource;

/**
 * The extra pass of Sophia's Gauss-Newton-Bartlett curvature estimate, as the study's authors run
 * it after an optimizer step: the same batch's forward with the updated weights, labels sampled
 * from the model's output ({@link SampledLabels}), and the backward of the batch's mean
 * cross-entropy on those labels without the z-loss (each micro-batch scaled by 1/micro-batches),
 * leaving its gradient in the model's gradient buffer for the optimizer to fold in.
 */
final class CurvatureEstimator {

    private static final int ROWS_PER_READ = 64;

    private final Transformer model;
    private final long seed;
    private int[] labels;             // (B*T), allocated by the first estimate
    private float[] logits;           // (ROWS_PER_READ, V), allocated by the first estimate

    CurvatureEstimator(Transformer model, long seed) {
        this.model = model;
        this.seed = seed;
    }

    /** The estimating pass after {@code step} over that step's micro-batches, read from {@code batches}. */
    void estimate(int step, BatchSource batches, int microBatches, int[] inputs, int[] targets) {
        int rows = model.rows();
        int v = model.config().vocabSize();
        if (labels == null) {
            labels = new int[rows];
            logits = new float[ROWS_PER_READ * v];
        }
        model.zeroGradients();
        for (int micro = 0; micro < microBatches; micro++) {
            batches.batch((long) (step - 1) * microBatches + micro, inputs, targets);
            model.forwardMicroBatch(inputs, targets, micro, microBatches);
            for (int first = 0; first < rows; first += ROWS_PER_READ) {
                int count = Math.min(ROWS_PER_READ, rows - first);
                model.readLogits(first, count, logits);
                for (int r = 0; r < count; r++) {
                    long row = (long) micro * rows + first + r;
                    labels[first + r] = SampledLabels.draw(logits, r * v, v, SampledLabels.uniform(seed, step, row));
                }
            }
            model.backwardOnLabels(labels, 1f / microBatches);
        }
    }
}
