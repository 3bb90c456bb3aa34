package org.optbench.train.run;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How long and how a run trains: sequences per optimizer step and per forward pass, the length
 * (steps, or a token budget), warmup, gradient clipping, the z-loss coefficient and the loss
 * above which the run counts as diverged. Null values take the preset's batch and steps, the
 * batch as micro-batch, and a warmup of a tenth of the steps.
 *
 * @param batch               sequences per optimizer step, or null for the preset's
 * @param microBatch          sequences per forward pass (gradients accumulate), or null for the whole batch
 * @param steps               optimizer steps, or null
 * @param tokens              a token budget (steps = ceil(tokens / (batch * seq_len))), or null
 * @param tokensPerParam      a token budget per non-embedding parameter (tokens = this x the model's
 *                            parameters less the token embedding and the LM head), or null
 * @param warmup              warmup steps, or a fraction of the steps when below 1; null for max(1, steps / 10)
 * @param clip                global gradient-norm clip; 0 turns it off
 * @param zLoss               z-loss coefficient; 0 turns it off
 * @param divergenceThreshold a training loss above this ends the run as diverged
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingSpec(Integer batch, Integer microBatch, Integer steps, Long tokens, Double tokensPerParam,
                           Double warmup, double clip, float zLoss, double divergenceThreshold) {

    public static final double DEFAULT_CLIP = 1.0;
    public static final float DEFAULT_Z_LOSS = 1e-4f;
    public static final double DEFAULT_DIVERGENCE_THRESHOLD = 100;

    public static TrainingSpec defaults() {
        return new TrainingSpec(null, null, null, null, null, null, DEFAULT_CLIP, DEFAULT_Z_LOSS,
                DEFAULT_DIVERGENCE_THRESHOLD);
    }
}
