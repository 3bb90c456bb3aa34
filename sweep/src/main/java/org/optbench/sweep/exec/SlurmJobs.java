package org.optbench.sweep.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reading Slurm's view of jobs: {@code squeue --json} where the installed Slurm has it (the
 * 22.05 and 23.x+ layouts: the state as a string or a list, the exit code as a number or an
 * object), {@code squeue -o} text otherwise; and the mapping of Slurm job states to how an
 * attempt ended.
 */
public final class SlurmJobs {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One job as squeue reports it. */
    public record Job(String id, String state, int exitCode, int signal, String reason) {
    }

    private SlurmJobs() {
    }

    /** Parses {@code squeue --json} output. */
    public static Map<String, Job> parseJson(String json) throws IOException {
        Map<String, Job> jobs = new HashMap<>();
        for (JsonNode j : JSON.readTree(json).path("jobs")) {
            JsonNode st = j.path("job_state");
            String state = st.isArray() ? (st.isEmpty() ? "UNKNOWN" : st.get(0).asText()) : st.asText("UNKNOWN");
            JsonNode ec = j.path("exit_code");
            int code;
            int signal = 0;
            if (ec.isObject()) {
                code = ec.path("return_code").isObject() ? ec.path("return_code").path("number").asInt()
                        : ec.path("return_code").asInt();
                signal = ec.path("signal").path("id").isObject() ? ec.path("signal").path("id").path("number").asInt()
                        : ec.path("signal").path("id").asInt(0);
            } else {
                int raw = ec.asInt();   // 22.05: the batch script's wait status
                code = raw >> 8;
                signal = raw & 0x7f;
            }
            jobs.put(j.path("job_id").asText(), new Job(j.path("job_id").asText(), state, code, signal,
                    j.path("state_reason").asText("")));
        }
        return jobs;
    }

    /** Parses {@code squeue -h --states=all -o %i|%T|%r} output (no exit codes in text mode). */
    public static Map<String, Job> parseText(String text) {
        Map<String, Job> jobs = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\|");
            if (f.length >= 2) {
                jobs.put(f[0], new Job(f[0], f[1], 0, 0, f.length > 2 ? f[2] : ""));
            }
        }
        return jobs;
    }

    private static final List<String> ACTIVE = List.of("PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED",
            "REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "RESIZING", "SIGNALING", "STAGE_OUT", "STOPPED", "RESV_DEL_HOLD");

    /** Null while the job is active; otherwise how the attempt ended. */
    public static Outcome outcome(Job job) {
        String state = job.state().toUpperCase(Locale.ROOT);
        if (ACTIVE.contains(state)) {
            return null;
        }
        String reason = "Slurm job " + job.id() + " " + state + (job.reason().isEmpty() || job.reason().equals("None") ? ""
                : " (" + job.reason() + ")");
        return switch (state) {
            case "COMPLETED" -> Outcome.exited(job.exitCode());
            case "CANCELLED" -> Outcome.cancelled(reason + ": cancelled outside optbench (scancel)");
            case "NODE_FAIL", "PREEMPTED", "BOOT_FAIL" -> Outcome.lost(reason);
            case "FAILED" -> job.exitCode() > 128 || job.signal() != 0 ? Outcome.lost(reason + ", killed by signal "
                    + (job.signal() != 0 ? job.signal() : job.exitCode() - 128))
                    : new Outcome(Outcome.Kind.EXITED, job.exitCode() == 0 ? 1 : job.exitCode(), reason);
            default -> new Outcome(Outcome.Kind.EXITED, 1, reason);   // TIMEOUT, OUT_OF_MEMORY, DEADLINE, ...
        };
    }
}
