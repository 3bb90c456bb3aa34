package org.optbench.sweep.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.optbench.sweep.store.Private;
import org.optbench.sweep.store.StoreException;

/**
 * Places each trial as a Slurm batch job ({@code sbatch --parsable}) that runs
 * {@code optbench worker DIR}; the worker reports to the server over gRPC as a local one does.
 * Jobs are named {@code optbench-<trial>} and write {@code DIR/slurm-<jobid>.out}; the executor id
 * is {@code slurm-<jobid>}. Jobs are polled with {@code squeue --json} (text where the installed
 * Slurm lacks it; one call for all jobs, at most once a second), cancelled with {@code scancel},
 * and submitted with {@code --no-requeue} so that optbench, not Slurm, decides about retries. A
 * job that outlived the server is re-attached. The trial directory and the worker command must be
 * visible on the compute nodes (a shared file system).
 */
public final class SlurmExecutor implements TrialExecutor {

    private final SlurmExecutorSpec spec;
    private final List<String> workerCommand;
    private Map<String, SlurmJobs.Job> snapshot = Map.of();
    private long snapshotAt;
    private Boolean json;

    public SlurmExecutor(SlurmExecutorSpec spec, List<String> workerCommand) {
        this.spec = spec;
        this.workerCommand = List.copyOf(workerCommand);
    }

    @Override
    public String submit(String trialId, Path trialDir) {
        Path script = trialDir.resolve("job.sh");
        List<String> cmd = new ArrayList<>(workerCommand);
        cmd.add(trialDir.toAbsolutePath().toString());
        try {
            Files.writeString(Private.file(script), "#!/bin/bash\n# optbench trial " + trialId + "\numask 077\nexec "
                    + cmd.stream().map(SlurmExecutor::quote).collect(Collectors.joining(" ")) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot write " + script + ": " + e.getMessage(), e);
        }
        List<String> sbatch = new ArrayList<>(List.of("sbatch", "--parsable", "--no-requeue", "--job-name", "optbench-" + trialId,
                "--output", trialDir.toAbsolutePath().resolve("slurm-%j.out").toString(), "--chdir",
                trialDir.toAbsolutePath().toString()));
        if (spec.partition() != null) {
            sbatch.addAll(List.of("--partition", spec.partition()));
        }
        if (spec.gpusPerTrial() > 0) {
            sbatch.add("--gpus=" + spec.gpusPerTrial());
        }
        if (spec.cpusPerTrial() > 0) {
            sbatch.add("--cpus-per-task=" + spec.cpusPerTrial());
        }
        if (spec.mem() != null) {
            sbatch.add("--mem=" + spec.mem());
        }
        if (spec.timeLimit() != null) {
            sbatch.add("--time=" + spec.timeLimit());
        }
        if (spec.account() != null) {
            sbatch.add("--account=" + spec.account());
        }
        if (spec.qos() != null) {
            sbatch.add("--qos=" + spec.qos());
        }
        sbatch.addAll(spec.extraArgs());
        sbatch.add(script.toAbsolutePath().toString());
        String out = run(sbatch).trim();
        String jobId = out.split(";")[0];
        if (!jobId.matches("\\d+")) {
            throw new StoreException("sbatch did not print a job id for trial " + trialId + ": '" + out + "'");
        }
        snapshotAt = 0;
        return "slurm-" + jobId;
    }

    @Override
    public Outcome poll(String executorId) {
        String job = jobId(executorId);
        refresh();
        SlurmJobs.Job j = snapshot.get(job);
        if (j == null) {
            return Outcome.lost("Slurm job " + job + " is no longer known to squeue");
        }
        return SlurmJobs.outcome(j);
    }

    @Override
    public void cancel(String executorId) {
        run(List.of("scancel", jobId(executorId)));
        snapshotAt = 0;
    }

    @Override
    public void stopOrphan(String executorId, Path trialDir) {
        if (executorId != null && executorId.startsWith("slurm-")) {
            cancel(executorId);
        }
    }

    @Override
    public boolean reattach(String executorId, Path trialDir) {
        if (executorId == null || !executorId.startsWith("slurm-")) {
            return false;
        }
        snapshotAt = 0;
        refresh();
        return snapshot.containsKey(jobId(executorId));
    }

    /** Jobs outlive the server: closing the executor leaves them running (a new server re-attaches). */
    @Override
    public void close() {
    }

    private synchronized void refresh() {
        if (System.currentTimeMillis() - snapshotAt < 1000) {
            return;
        }
        if (json == null || json) {
            try {
                snapshot = SlurmJobs.parseJson(run(List.of("squeue", "--json", "--states=all")));
                json = true;
            } catch (IOException | StoreException e) {
                if (Boolean.TRUE.equals(json)) {
                    throw e instanceof StoreException s ? s : new StoreException("squeue --json: " + e.getMessage(), e);
                }
                json = false;
            }
        }
        if (!json) {
            snapshot = SlurmJobs.parseText(run(List.of("squeue", "-h", "--states=all", "-o", "%i|%T|%r")));
        }
        snapshotAt = System.currentTimeMillis();
    }

    private static String jobId(String executorId) {
        return executorId.substring("slurm-".length());
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=,@+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new StoreException(String.join(" ", cmd) + " did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new StoreException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + out.trim());
            }
            return out;
        } catch (IOException e) {
            throw new StoreException("cannot run " + cmd.get(0) + " (is Slurm installed and on PATH?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while running " + cmd.get(0), e);
        }
    }
}
