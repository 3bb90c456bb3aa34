package org.optbench.sweep.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optbench.sweep.error.SweepSpecException;

/**
 * Trials as Slurm batch jobs ({@code executor: {type: slurm, partition, gpus_per_trial,
 * cpus_per_trial, mem, time_limit, account, qos, extra_args, retries}}). A job's CPUs are also
 * its trial's kernel threads; with {@code mem} the worker JVM's heap is three quarters of it,
 * without it the JVM takes its own default on the node, which the server cannot know.
 *
 * @param partition    Slurm partition (null: the cluster's default)
 * @param gpusPerTrial GPUs per job (0: none requested)
 * @param cpusPerTrial CPUs per job, also the trial's kernel threads (0: one thread)
 * @param mem          memory per job as Slurm writes it (e.g. 16G; null: the cluster's default)
 * @param timeLimit    wall-clock limit as Slurm writes it (e.g. 04:00:00; null: the partition's)
 * @param account      Slurm account (null: the user's default)
 * @param qos          Slurm QOS (null: the default)
 * @param extraArgs    further sbatch arguments, passed as given
 * @param retries      how often a trial lost to node failure, preemption or a kill is resubmitted
 */
public record SlurmExecutorSpec(String partition, int gpusPerTrial, int cpusPerTrial, String mem, String timeLimit,
                                String account, String qos, List<String> extraArgs, int retries) implements ExecutorSpec {

    public static final String TYPE = "slurm";
    /** The share of a job's memory the worker's heap may take; the rest is the JVM's and the driver's. */
    public static final double HEAP_SHARE_OF_MEM = 0.75;
    private static final Set<String> KEYS = Set.of("type", "partition", "gpus_per_trial", "cpus_per_trial", "mem",
            "time_limit", "account", "qos", "extra_args", "retries");

    public SlurmExecutorSpec {
        extraArgs = List.copyOf(extraArgs);
    }

    /** A job with the cluster's defaults for everything. */
    public static SlurmExecutorSpec defaults() {
        return new SlurmExecutorSpec(null, 0, 0, null, null, null, null, List.of(), LocalExecutorSpec.DEFAULT_RETRIES);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int threadsPerTrial(Integer configured, int parallel) {
        return Math.max(1, cpusPerTrial);
    }

    @Override
    public long workerHeapBytes(long localHeapBytes) {
        return mem == null ? 0 : (long) (HEAP_SHARE_OF_MEM * memBytes(mem));
    }

    @Override
    public TrialExecutor open(List<String> workerCommand) {
        return new SlurmExecutor(this, workerCommand);
    }

    /** Bytes of a Slurm memory size: a number with an optional K, M (the default), G or T suffix. */
    static long memBytes(String mem) {
        long bytes = MemorySize.bytes(mem, 1L << 20);
        if (bytes < 0) {
            throw new SweepSpecException("executor.mem '" + mem + "' must be a size such as 16G, 4096M or 4096");
        }
        return bytes;
    }

    static ExecutorSpec parse(Map<String, Object> node, String source) {
        ExecutorSpec.checkKeys(node, KEYS, source);
        List<String> extra = new ArrayList<>();
        Object e = node.get("extra_args");
        if (e instanceof List<?> list) {
            list.forEach(x -> extra.add(String.valueOf(x)));
        } else if (e != null) {
            extra.addAll(List.of(String.valueOf(e).trim().split("\\s+")));
        }
        String mem = text(node, "mem");
        if (mem != null) {
            memBytes(mem);
        }
        return new SlurmExecutorSpec(text(node, "partition"), ExecutorSpec.count(node, "gpus_per_trial", 0, source),
                ExecutorSpec.count(node, "cpus_per_trial", 0, source), mem, text(node, "time_limit"), text(node, "account"),
                text(node, "qos"), extra, ExecutorSpec.count(node, "retries", LocalExecutorSpec.DEFAULT_RETRIES, source));
    }

    private static String text(Map<String, Object> node, String key) {
        Object v = node.get(key);
        return v == null ? null : String.valueOf(v);
    }
}
