package org.optbench.sweep.exec;

import java.util.Map;
import java.util.Set;

/**
 * Trials as child processes on the server's machine ({@code executor: {type: local}}). Each gets
 * processors / parallel kernel threads unless the server sets a number.
 *
 * @param retries how often a lost trial is run again
 */
public record LocalExecutorSpec(int retries) implements ExecutorSpec {

    public static final String TYPE = "local";
    public static final int DEFAULT_RETRIES = 2;

    public static LocalExecutorSpec defaults() {
        return new LocalExecutorSpec(DEFAULT_RETRIES);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int threadsPerTrial(Integer configured, int parallel) {
        return configured != null ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() / parallel);
    }

    @Override
    public long workerHeapBytes(long localHeapBytes) {
        return localHeapBytes;
    }

    @Override
    public TrialExecutor open(java.util.List<String> workerCommand) {
        return new LocalExecutor(workerCommand);
    }

    static ExecutorSpec parse(Map<String, Object> node, String source) {
        ExecutorSpec.checkKeys(node, Set.of("type", "retries"), source);
        return new LocalExecutorSpec(ExecutorSpec.count(node, "retries", DEFAULT_RETRIES, source));
    }
}
