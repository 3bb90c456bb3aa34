package org.optbench.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a sweep's trials run: {@code local} child processes or {@code slurm} jobs, with the Slurm
 * job's resources; a spec that names no executor gets type {@code default}, the server's choice. Keys in the spec: {@code executor: {type: slurm, partition,
 * gpus_per_trial, cpus_per_trial, mem, time_limit, account, qos, extra_args, retries}}.
 *
 * @param type         local, slurm, or default (the server's --executor)
 * @param partition    Slurm partition (null: the cluster's default)
 * @param gpusPerTrial GPUs per job (0: none requested)
 * @param cpusPerTrial CPUs per job, also the trial's kernel threads (0: executor default)
 * @param mem          memory per job as Slurm writes it (e.g. 16G; null: the cluster's default)
 * @param timeLimit    wall-clock limit as Slurm writes it (e.g. 04:00:00; null: the partition's)
 * @param account      Slurm account (null: the user's default)
 * @param qos          Slurm QOS (null: the default)
 * @param extraArgs    further sbatch arguments, passed as given
 * @param retries      how often a trial lost to node failure, preemption or a kill is resubmitted
 */
public record ExecutorSpec(String type, String partition, int gpusPerTrial, int cpusPerTrial, String mem, String timeLimit,
                           String account, String qos, List<String> extraArgs, int retries) {

    private static final Set<String> KEYS = Set.of("type", "partition", "gpus_per_trial", "cpus_per_trial", "mem",
            "time_limit", "account", "qos", "extra_args", "retries");

    /** What a spec without an {@code executor} key gets. */
    public static ExecutorSpec defaults() {
        return new ExecutorSpec("default", null, 0, 0, null, null, null, null, List.of(), 2);
    }

    /** This spec with {@code default} resolved to {@code serverDefault}. */
    public ExecutorSpec resolve(String serverDefault) {
        return type.equals("default") ? new ExecutorSpec(serverDefault, partition, gpusPerTrial, cpusPerTrial, mem, timeLimit,
                account, qos, extraArgs, retries) : this;
    }

    public boolean isSlurm() {
        return type.equals("slurm");
    }

    /** Reads the {@code executor} mapping; errors name the key and the valid values. */
    static ExecutorSpec parse(Map<String, Object> node, String source) {
        for (String key : node.keySet()) {
            if (!KEYS.contains(key)) {
                throw new SweepSpecException(source + ": unknown key 'executor." + key + "'; valid keys: "
                        + new java.util.TreeSet<>(KEYS));
            }
        }
        String type = String.valueOf(node.getOrDefault("type", "local"));
        if (!type.equals("local") && !type.equals("slurm")) {
            throw new SweepSpecException(source + ": executor.type '" + type + "' must be local or slurm");
        }
        if (type.equals("local") && node.size() > 1) {
            throw new SweepSpecException(source + ": executor keys " + node.keySet() + " apply to type slurm only");
        }
        List<String> extra = new ArrayList<>();
        Object e = node.get("extra_args");
        if (e instanceof List<?> list) {
            list.forEach(x -> extra.add(String.valueOf(x)));
        } else if (e != null) {
            extra.addAll(List.of(String.valueOf(e).trim().split("\\s+")));
        }
        return new ExecutorSpec(type, text(node, "partition"), count(node, "gpus_per_trial", source),
                count(node, "cpus_per_trial", source), text(node, "mem"), text(node, "time_limit"), text(node, "account"),
                text(node, "qos"), List.copyOf(extra), node.containsKey("retries") ? count(node, "retries", source) : 2);
    }

    private static String text(Map<String, Object> node, String key) {
        Object v = node.get(key);
        return v == null ? null : String.valueOf(v);
    }

    private static int count(Map<String, Object> node, String key, String source) {
        Object v = node.getOrDefault(key, 0);
        if (!(v instanceof Integer i) || i < 0) {
            throw new SweepSpecException(source + ": executor." + key + " '" + v + "' must be a whole number >= 0");
        }
        return i;
    }
}
