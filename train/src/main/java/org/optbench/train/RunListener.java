package org.optbench.train;

/** Receives a run's step records, evaluations and checkpoints as they happen. */
public interface RunListener {

    /** The run's plan is known: it takes {@code totalSteps} steps in all (told before the first step). */
    default void onPlan(int totalSteps) {
    }

    void onStep(StepRecord record);

    default void onEval(EvalRecord record) {
    }

    default void onCheckpoint(int step) {
    }
}
