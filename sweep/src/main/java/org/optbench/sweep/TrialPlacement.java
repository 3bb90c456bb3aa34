package org.optbench.sweep;

import org.optbench.sweep.exec.ExecutorSpec;
import org.optbench.sweep.exec.LocalExecutorSpec;

/**
 * How every trial of a sweep is placed, as its executor decides: the kernel threads of each
 * trial, how often a lost attempt is run again, and the heap of a trial's JVM (0 when not known
 * where the sweep is submitted), which the sweep's runs are validated against and which their
 * workers check again; and what the data-set names of its runs mean on this server.
 *
 * @param threads   kernel threads per trial
 * @param retries   how often a trial lost to the infrastructure is run again
 * @param heapBytes the worker's maximum heap, or 0 when unknown
 * @param datasets  the data sets the server offers by name
 * @param executor  the executor the trials run on
 */
public record TrialPlacement(int threads, int retries, long heapBytes, Datasets datasets, ExecutorSpec executor) {

    /** Local child processes on {@code threads} threads, the JVM's heap unknown, no named data sets. */
    public static TrialPlacement local(int threads) {
        return new TrialPlacement(threads, LocalExecutorSpec.DEFAULT_RETRIES, 0, Datasets.none(), LocalExecutorSpec.defaults());
    }
}
