package org.optbench.train.run;

/**
 * What a run spec is validated against: the heap of the JVM that will train it, how to say how
 * that heap is raised, and where its data is looked up.
 *
 * @param heapBytes the maximum heap of the training JVM; 0 when it is not known here (a Slurm job
 *                  without {@code mem}), which leaves the memory check to the worker
 * @param heapFix   what to do for more heap, e.g. "raise it with OPTBENCH_JAVA_OPTS=-Xmx..."
 * @param data      the data the run can name
 */
public record RunContext(long heapBytes, String heapFix, DataCatalog data) {

    /** A run in this JVM, whose data {@code data} looks up. */
    public static RunContext inThisJvm(DataCatalog data) {
        return new RunContext(Runtime.getRuntime().maxMemory(), "raise the heap with OPTBENCH_JAVA_OPTS=-Xmx...", data);
    }
}
