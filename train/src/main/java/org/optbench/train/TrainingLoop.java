package org.optbench.train;

import java.util.function.Consumer;
import org.optbench.model.LossValue;
import org.optbench.model.Transformer;
import org.optbench.optim.GradientClipping;
import org.optbench.optim.Optimizer;
import org.optbench.train.data.BatchSource;

/**
 * The training loop of the study protocol: step s (from 1) trains on batch s-1 with the
 * parameters after step s-1; the loss logged for step s is that batch's loss before the update.
 * Each step runs forward, backward, global-norm clipping (norm reported before clipping) and the
 * optimizer at the schedule's learning rate. A loss that is NaN/Inf or above the divergence
 * threshold ends the run as {@code diverged}, a result rather than an error.
 */
public final class TrainingLoop {

    private final Transformer model;
    private final Optimizer optimizer;
    private final BatchSource batches;
    private final double maxGradNorm;
    private final double divergenceThreshold;
    private final int[] inputs;
    private final int[] targets;

    public TrainingLoop(Transformer model, Optimizer optimizer, BatchSource batches, double maxGradNorm,
                        double divergenceThreshold) {
        if (batches.batchSize() != model.batchSize() || batches.seqLen() != model.config().seqLen()) {
            throw new IllegalArgumentException("batches of " + batches.batchSize() + " x " + batches.seqLen()
                    + " do not fit a model built for " + model.batchSize() + " x " + model.config().seqLen());
        }
        this.model = model;
        this.optimizer = optimizer;
        this.batches = batches;
        this.maxGradNorm = maxGradNorm;
        this.divergenceThreshold = divergenceThreshold;
        this.inputs = new int[model.rows()];
        this.targets = new int[model.rows()];
    }

    /** Runs steps 1..steps, handing each step's record to {@code listener}. */
    public RunResult run(int steps, Consumer<StepRecord> listener) {
        long tokensPerStep = model.rows();
        long start = System.nanoTime();
        double lastFinite = Double.NaN;
        for (int step = 1; step <= steps; step++) {
            long t0 = System.nanoTime();
            batches.batch(step - 1, inputs, targets);
            model.zeroGradients();
            LossValue loss = model.forward(inputs, targets);
            if (!loss.isFinite() || loss.loss() > divergenceThreshold) {
                return new RunResult("diverged", step, step, lastFinite, (step - 1) * tokensPerStep,
                        rate((step - 1) * tokensPerStep, start));
            }
            lastFinite = loss.loss();
            model.backward();
            double norm = model.gradientNorm();
            float coef = GradientClipping.coefficient(norm, maxGradNorm);
            optimizer.step(step, coef);
            double ms = (System.nanoTime() - t0) / 1e6;
            listener.accept(new StepRecord(step, step * tokensPerStep, loss.loss(), optimizer.lr(step), norm, ms));
        }
        return new RunResult("completed", steps, null, lastFinite, steps * tokensPerStep,
                rate(steps * tokensPerStep, start));
    }

    private static double rate(long tokens, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds > 0 ? tokens / seconds : 0;
    }
}
