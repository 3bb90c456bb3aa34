package org.optbench.train;

import java.util.function.IntConsumer;
import org.optbench.model.LossValue;
import org.optbench.model.StepReadout;
import org.optbench.model.Transformer;
import org.optbench.optim.GradientClipping;
import org.optbench.optim.Optimizer;
import org.optbench.train.data.BatchSource;

/**
 * The training loop of the study protocol: step s (from 1) trains on global batch s-1 with the
 * parameters after step s-1; the loss logged for step s is that batch's loss before the update.
 * A global batch is {@code microBatches} consecutive batches of the source whose gradients are
 * accumulated (each backward scaled by 1/microBatches). Each step then clips by the global norm
 * (reported before clipping) and runs the optimizer's groups at their scheduled learning rates.
 * The losses stay on the device until the step has run every micro-batch's backward; the step
 * then reads them back with the gradient norm in one transfer, its one wait for the device.
 * A loss that is NaN/Inf or above the divergence threshold ends the run as {@code diverged}, a
 * result rather than an error. After a step whose optimizer keeps a curvature estimate that is due
 * (Sophia's every k steps), the {@link CurvatureEstimator}'s pass on the same batch refreshes it.
 * Evaluations run at the schedule's steps, checkpoints every {@code checkpointEvery} steps through
 * the given callback.
 */
public final class TrainingLoop {

    private final Transformer model;
    private final Optimizer optimizer;
    private final BatchSource batches;
    private final int microBatches;
    private final double maxGradNorm;
    private final double divergenceThreshold;
    private final int[] inputs;
    private final int[] targets;
    private Evaluator evaluator;
    private EvalSchedule evalSchedule;
    private int checkpointEvery;
    private IntConsumer checkpointer;
    private CurvatureEstimator curvature;

    public TrainingLoop(Transformer model, Optimizer optimizer, BatchSource batches, int microBatches,
                        double maxGradNorm, double divergenceThreshold) {
        if (batches.batchSize() != model.batchSize() || batches.seqLen() != model.config().seqLen()) {
            throw new IllegalArgumentException("batches of " + batches.batchSize() + " x " + batches.seqLen()
                    + " do not fit a model built for " + model.batchSize() + " x " + model.config().seqLen());
        }
        if (microBatches < 1) {
            throw new IllegalArgumentException("micro-batches per step must be at least 1, got " + microBatches);
        }
        this.model = model;
        this.optimizer = optimizer;
        this.batches = batches;
        this.microBatches = microBatches;
        this.maxGradNorm = maxGradNorm;
        this.divergenceThreshold = divergenceThreshold;
        this.inputs = new int[model.rows()];
        this.targets = new int[model.rows()];
        this.curvature = new CurvatureEstimator(model, 0);
    }

    public TrainingLoop(Transformer model, Optimizer optimizer, BatchSource batches, double maxGradNorm,
                        double divergenceThreshold) {
        this(model, optimizer, batches, 1, maxGradNorm, divergenceThreshold);
    }

    /** Evaluates with {@code evaluator} at the steps of {@code schedule}. */
    public TrainingLoop evaluating(Evaluator evaluator, EvalSchedule schedule) {
        this.evaluator = evaluator;
        this.evalSchedule = schedule;
        return this;
    }

    /** Calls {@code checkpointer} with the step after every {@code every} steps (0: never). */
    public TrainingLoop checkpointing(int every, IntConsumer checkpointer) {
        this.checkpointEvery = every;
        this.checkpointer = checkpointer;
        return this;
    }

    /** Seeds the labels a curvature estimate samples (Sophia's); the run's seed, 0 unless set. */
    public TrainingLoop samplingSeed(long seed) {
        this.curvature = new CurvatureEstimator(model, seed);
        return this;
    }

    /** Tokens in one optimizer step. */
    public long tokensPerStep() {
        return (long) model.rows() * microBatches;
    }

    /** Runs steps first..last (first > 1 when resuming) and reports to {@code listener}. */
    public RunResult run(int first, int last, RunListener listener) {
        long perStep = tokensPerStep();
        long start = System.nanoTime();
        double lastFinite = Double.NaN;
        double finalVal = Double.NaN;
        double bestVal = Double.NaN;
        double finalBpb = Double.NaN;
        for (int step = first; step <= last; step++) {
            long t0 = System.nanoTime();
            model.zeroGradients();
            for (int micro = 0; micro < microBatches; micro++) {
                batches.batch((long) (step - 1) * microBatches + micro, inputs, targets);
                model.forwardMicroBatch(inputs, targets, micro, microBatches);
                model.backward(1f / microBatches);
            }
            StepReadout readout = model.readStep(microBatches);
            double lossSum = 0;
            for (LossValue loss : readout.losses()) {
                if (!loss.isFinite() || loss.loss() > divergenceThreshold) {
                    long tokens = (step - first) * perStep;
                    return new RunResult("diverged", step, step, lastFinite, finalVal, bestVal, finalBpb,
                            (step - 1) * perStep, rate(tokens, start));
                }
                lossSum += loss.loss();
            }
            double loss = lossSum / microBatches;
            lastFinite = loss;
            double norm = readout.gradientNorm();
            if (!Double.isFinite(norm)) {
                return new RunResult("diverged", step, step, lastFinite, finalVal, bestVal, finalBpb,
                        (step - 1) * perStep, rate((step - first) * perStep, start));
            }
            optimizer.step(step, GradientClipping.coefficient(norm, maxGradNorm));
            if (optimizer.curvatureDue(step)) {
                curvature.estimate(step, batches, microBatches, inputs, targets);
                optimizer.updateCurvature(step, perStep);
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            listener.onStep(new StepRecord(step, step * perStep, loss, optimizer.lr(step), norm, ms));
            if (evaluator != null && evalSchedule.isEvalStep(step)) {
                EvalRecord eval = evaluator.evaluate(step);
                finalVal = eval.valLoss();
                finalBpb = eval.valBitsPerByte();
                bestVal = Double.isNaN(bestVal) ? finalVal : Math.min(bestVal, finalVal);
                listener.onEval(eval);
            }
            if (checkpointEvery > 0 && step % checkpointEvery == 0 && step < last) {
                checkpointer.accept(step);
                listener.onCheckpoint(step);
            }
        }
        return new RunResult("completed", last, null, lastFinite, finalVal, bestVal, finalBpb, last * perStep,
                rate((last - first + 1) * perStep, start));
    }

    private static double rate(long tokens, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds > 0 ? tokens / seconds : 0;
    }
}
