package org.optbench.train;

import org.optbench.model.LossValue;
import org.optbench.model.Transformer;
import org.optbench.train.data.SequentialBatches;

/**
 * Mean validation loss over a fixed token set: the first {@code batches} non-overlapping
 * B x T windows of the validation stream (llm.c order), the same tokens at every evaluation. The
 * loss is the mean cross-entropy; z-loss is a training regulariser and is not part of it.
 * Bits per byte = loss * (validation tokens per byte) / ln 2, using the whole split's ratio.
 */
public final class Evaluator {

    private final Transformer model;
    private final SequentialBatches batches;
    private final int count;
    private final double tokensPerByte;
    private final int[] inputs;
    private final int[] targets;

    public Evaluator(Transformer model, SequentialBatches.TokenStream val, long evalTokens, double tokensPerByte) {
        this.model = model;
        this.batches = new SequentialBatches(val, model.batchSize(), model.config().seqLen());
        long perBatch = model.rows();
        this.count = (int) Math.max(1, Math.min(batches.batchCount(), evalTokens / perBatch));
        this.tokensPerByte = tokensPerByte;
        this.inputs = new int[model.rows()];
        this.targets = new int[model.rows()];
    }

    public long tokens() {
        return (long) count * model.rows();
    }

    public EvalRecord evaluate(int step) {
        double sum = 0;
        for (int k = 0; k < count; k++) {
            batches.batch(k, inputs, targets);
            LossValue loss = model.forward(inputs, targets);
            sum += loss.ce();
        }
        double mean = sum / count;
        return new EvalRecord(step, mean, mean * tokensPerByte / Math.log(2), tokens());
    }
}
