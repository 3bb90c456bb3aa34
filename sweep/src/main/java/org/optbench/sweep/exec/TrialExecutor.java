package org.optbench.sweep.exec;

import java.nio.file.Path;

/**
 * Places trials somewhere they can run and reports when they end. A trial runs in its own
 * directory ({@code trial.json} in, {@code result.json} and {@code metrics.jsonl} out), so the
 * executor only starts, watches and stops it.
 */
public interface TrialExecutor extends AutoCloseable {

    /** Starts the trial whose directory is {@code trialDir}; returns an id for poll and cancel. */
    String submit(String trialId, Path trialDir);

    /** Null while the trial runs; how it ended once it has. */
    Outcome poll(String executorId);

    void cancel(String executorId);

    /**
     * Waits up to {@code millis} for one of this executor's attempts to end, so that a runner can
     * start the next trial at once instead of at its next poll; returns early when one ends, or
     * after the full wait when the executor cannot tell (the default).
     */
    default void awaitChange(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /**
     * Stops an attempt that an earlier runner (a process that has since died) started as
     * {@code executorId} in {@code trialDir}, so that the trial can run again without two
     * workers writing one directory. {@code executorId} may be null when the runner died before
     * the executor placed it.
     */
    void stopOrphan(String executorId, Path trialDir);

    /**
     * Whether the attempt {@code executorId}, started by an earlier runner, can be followed by
     * this one (a Slurm job outlives the server that submitted it). When true, the runner polls it
     * instead of running the trial again; local child processes are never re-attached.
     */
    default boolean reattach(String executorId, Path trialDir) {
        return false;
    }

    @Override
    void close();
}
