package org.optbench.model;

/**
 * A named model shape with the batch size and step counts it is trained or benchmarked at.
 *
 * @param name        the preset's name on the command line ({@code 150m}, {@code P1}, {@code nano}, ...)
 * @param config      the model shape
 * @param batchSize   sequences per optimizer step
 * @param steps       total optimizer steps of a full run (0 for benchmark shapes)
 * @param warmupSteps warmup steps of a full run
 * @param description one line on where the preset comes from
 */
public record Preset(String name, ModelConfig config, int batchSize, int steps, int warmupSteps, String description) {
}
