package org.optbench.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting a run resolved to, as its result and checkpoints record it: the model shape and
 * parameter count, batch, length, optimizer with the hyperparameters it was given, schedule,
 * clipping, seed and data. A resumed run must match its checkpoint's on the settings that decide
 * the trajectory.
 *
 * @param preset          the preset named
 * @param vocab           vocabulary size
 * @param dModel          residual width
 * @param layers          transformer blocks
 * @param heads           attention heads
 * @param seqLen          tokens per sequence
 * @param zLoss           z-loss coefficient
 * @param batch           sequences per step
 * @param microBatch      sequences per pass
 * @param steps           optimizer steps
 * @param warmup          warmup steps
 * @param optimizer       optimizer, hybrid or rule-file label
 * @param hyperparameters the run-level hyperparameters given (the rest are the optimizers' defaults)
 * @param schedule        schedule shape
 * @param clip            gradient-norm clip
 * @param seed            seed
 * @param data            the data's label (default, synthetic or a path)
 * @param batchOrder      shuffled or sequential
 * @param parameters      total parameters of the model
 * @param trainNorms      false when the LayerNorm gains were held at 1 ({@code train_norms: false});
 *                        null (left out) when they trained
 */
public record RunConfig(String preset, int vocab, int dModel, int layers, int heads, int seqLen, float zLoss, int batch,
                        int microBatch, int steps, int warmup, String optimizer, Map<String, Object> hyperparameters,
                        String schedule, double clip, long seed, String data, String batchOrder, long parameters,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean trainNorms) {

    public RunConfig {
        hyperparameters = hyperparameters == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
    }
}
