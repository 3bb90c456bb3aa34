package org.optbench.train;

/** Receives a run's step records, evaluations and checkpoints as they happen. */
public interface RunListener {

    void onStep(StepRecord record);

    default void onEval(EvalRecord record) {
    }

    default void onCheckpoint(int step) {
    }
}
