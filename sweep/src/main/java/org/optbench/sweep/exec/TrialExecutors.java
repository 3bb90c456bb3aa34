package org.optbench.sweep.exec;

/**
 * Opens the executor a sweep's executor spec asks for, and says what heap its trials get (which
 * validation checks a run's memory against). {@link #of} is the real choice, from a
 * {@link WorkerProgram}; tests give their own.
 */
@FunctionalInterface
public interface TrialExecutors {

    TrialExecutor open(ExecutorSpec spec);

    /** The heap of a trial's JVM under {@code spec}. */
    default long workerHeapBytes(ExecutorSpec spec) {
        return spec.workerHeapBytes(Runtime.getRuntime().maxMemory());
    }

    /** Local child processes or Slurm jobs running {@code program}. */
    static TrialExecutors of(WorkerProgram program) {
        return new TrialExecutors() {
            @Override
            public TrialExecutor open(ExecutorSpec spec) {
                return spec.open(program.command(workerHeapBytes(spec)));
            }

            @Override
            public long workerHeapBytes(ExecutorSpec spec) {
                return spec.workerHeapBytes(program.localHeapBytes());
            }
        };
    }
}
