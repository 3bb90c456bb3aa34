package org.optbench.sweep;

import java.util.List;
import java.util.Map;

/**
 * A parsed, validated sweep: the W&amp;B keys ({@code method}, {@code metric}, {@code parameters},
 * {@code run_cap}) and optbench's own (the model, data, length, seeds, trials at once, divergence
 * threshold, extra training options). {@code optimizers} maps each optimizer to its own swept
 * hyperparameters (the paper's "each optimizer over its own LR grid"); {@code shared} are swept
 * for every optimizer.
 *
 * @param name                 the sweep's name (runs/&lt;name&gt;/)
 * @param text                 the spec as written, stored with the sweep
 * @param method               grid or random
 * @param metric               the metric minimised (val_loss)
 * @param optimizers           optimizer name to its swept hyperparameters, in file order
 * @param shared               hyperparameters swept for every optimizer
 * @param trainOptions         fixed options of every trial's training run (option name to value)
 * @param seeds                model/data seeds; every point runs once per seed
 * @param parallel             trials at once
 * @param runCap               random search: trials per optimizer
 * @param randomSeed           random search: the sampler's seed
 * @param earlyStop            the early-stopping rule, or null to run every trial to the end
 * @param executor             where the trials run (local processes or Slurm jobs)
 */
public record SweepSpec(String name, String text, String method, String metric,
                        Map<String, Map<String, SweepParameter>> optimizers, Map<String, SweepParameter> shared,
                        Map<String, String> trainOptions, List<Long> seeds, int parallel, int runCap, long randomSeed,
                        EarlyStopRule earlyStop, ExecutorSpec executor) {
}
