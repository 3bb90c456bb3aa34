package org.optbench.sweep.exec;

import java.util.Map;
import java.util.TreeSet;
import org.optbench.sweep.error.SweepSpecException;

/**
 * Where a sweep's trials run, as its spec's {@code executor:} mapping says: each kind of executor
 * is one record that parses its own settings ({@link #parse} picks it by {@code type}). A spec
 * without the mapping takes the server's default. Every kind says how often a trial lost to the
 * infrastructure is retried, how many kernel threads a trial gets, and what heap its JVM has.
 */
public sealed interface ExecutorSpec permits LocalExecutorSpec, SlurmExecutorSpec {

    /** The kinds of executor, by their {@code type} in a spec. */
    Map<String, Parser> TYPES = Map.of(LocalExecutorSpec.TYPE, LocalExecutorSpec::parse,
            SlurmExecutorSpec.TYPE, SlurmExecutorSpec::parse);

    /** Reads the settings of one kind of executor; errors name the key and the valid values. */
    @FunctionalInterface
    interface Parser {
        ExecutorSpec parse(Map<String, Object> settings, String source);
    }

    /** The {@code type} of this executor in a spec. */
    String type();

    /** How often a trial lost to node failure, preemption or a kill is run again. */
    int retries();

    /** Kernel threads of each trial: {@code configured} (the server's setting) or the executor's own choice. */
    int threadsPerTrial(Integer configured, int parallel);

    /** The heap of a trial's JVM, given the heap a local worker gets; 0 when it is not known here. */
    long workerHeapBytes(long localHeapBytes);

    /** The executor that runs {@code workerCommand} (plus a trial directory) for each trial. */
    TrialExecutor open(java.util.List<String> workerCommand);

    /** Reads a spec's {@code executor:} mapping. */
    static ExecutorSpec parse(Map<String, Object> node, String source) {
        String type = String.valueOf(node.getOrDefault("type", LocalExecutorSpec.TYPE));
        Parser parser = TYPES.get(type);
        if (parser == null) {
            throw new SweepSpecException(source + ": executor.type '" + type + "' must be one of " + new TreeSet<>(TYPES.keySet()));
        }
        return parser.parse(node, source);
    }

    /** Fails on keys outside {@code valid}. */
    static void checkKeys(Map<String, Object> node, java.util.Set<String> valid, String source) {
        for (String key : node.keySet()) {
            if (!valid.contains(key)) {
                throw new SweepSpecException(source + ": unknown key 'executor." + key + "' for type " + node.get("type")
                        + "; valid keys: " + new TreeSet<>(valid));
            }
        }
    }

    /** A whole number >= 0 from the mapping, or {@code fallback}. */
    static int count(Map<String, Object> node, String key, int fallback, String source) {
        Object v = node.getOrDefault(key, fallback);
        if (!(v instanceof Integer i) || i < 0) {
            throw new SweepSpecException(source + ": executor." + key + " '" + v + "' must be a whole number >= 0");
        }
        return i;
    }
}
