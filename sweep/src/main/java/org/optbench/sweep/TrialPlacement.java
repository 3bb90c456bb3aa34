package org.optbench.sweep;

/**
 * How every trial of a sweep is placed, as its executor decides: the kernel threads of each
 * trial, how often a lost attempt is run again, and the heap of a trial's JVM (0 when not known
 * where the sweep is submitted), which the sweep's runs are validated against and which their
 * workers check again.
 *
 * @param threads   kernel threads per trial
 * @param retries   how often a trial lost to the infrastructure is run again
 * @param heapBytes the worker's maximum heap, or 0 when unknown
 */
public record TrialPlacement(int threads, int retries, long heapBytes) {
}
