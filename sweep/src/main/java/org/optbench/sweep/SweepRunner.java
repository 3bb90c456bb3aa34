package org.optbench.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optbench.sweep.exec.LocalExecutor;
import org.optbench.sweep.exec.TrialExecutor;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.StoreException;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;

/**
 * Runs a sweep to the end through an executor, keeping the store the source of truth: the sweep
 * and its trials are created (or found, when the same sweep runs again), trials a dead runner
 * left running go back to pending and resume from their checkpoints, failed ones are retried,
 * completed and diverged ones are never run twice. Up to {@code parallel} trials run at once, each
 * in {@code runs/<sweep>/<trial>/} with a quarter-run checkpoint cadence.
 */
public final class SweepRunner {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Progress of a running sweep. */
    public interface Listener {
        void update(List<TrialRecord> trials);
    }

    private final TrialStore store;
    private final TrialExecutor executor;
    private final Path runsDir;
    private final int threadsPerTrial;

    public SweepRunner(TrialStore store, TrialExecutor executor, Path runsDir, int threadsPerTrial) {
        this.store = store;
        this.executor = executor;
        this.runsDir = runsDir;
        this.threadsPerTrial = threadsPerTrial;
    }

    /** Creates or resumes the sweep of {@code spec}; returns its id without running anything. */
    public String prepare(SweepSpec spec) {
        String id = spec.name();
        store.createSweep(id, spec.name(), spec.text());
        store.ensureTrials(id, SweepExpander.expand(spec));
        for (TrialRecord t : store.trials(id)) {
            if (t.status() == TrialStatus.RUNNING) {
                LocalExecutor.stopOrphan(trialDir(id, t));
            }
        }
        store.requeueInterrupted(id);
        store.requeueFailed(id);
        return id;
    }

    public Path trialDir(String sweepId, TrialRecord t) {
        return runsDir.resolve(sweepId).resolve(t.id());
    }

    /** Runs every pending trial of the sweep and returns when none is pending or running. */
    public void run(SweepSpec spec, Listener listener) throws InterruptedException {
        String id = prepare(spec);
        Map<String, String> running = new LinkedHashMap<>();   // trial id -> executor id
        while (true) {
            List<TrialRecord> trials = store.trials(id);
            for (TrialRecord t : trials) {
                if (running.size() >= spec.parallel()) {
                    break;
                }
                if (t.status() == TrialStatus.PENDING && !running.containsKey(t.id())) {
                    Path dir = trialDir(id, t);
                    writeTrialFile(spec, t, dir);
                    String exec = executor.submit(t.id(), dir);
                    store.markRunning(t.id(), exec);
                    running.put(t.id(), exec);
                }
            }
            for (var it = running.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                Integer exit = executor.poll(e.getValue());
                if (exit != null) {
                    record(id, e.getKey(), exit);
                    it.remove();
                }
            }
            List<TrialRecord> now = store.trials(id);
            listener.update(now);
            if (running.isEmpty() && now.stream().noneMatch(t -> t.status() == TrialStatus.PENDING)) {
                store.setSweepStatus(id, "completed");
                return;
            }
            Thread.sleep(200);
        }
    }

    private void writeTrialFile(SweepSpec spec, TrialRecord t, Path dir) {
        List<String> args = new ArrayList<>();
        args.add("train");
        Map<String, String> options = new LinkedHashMap<>(spec.trainOptions());
        t.params().forEach(options::put);
        options.forEach((k, v) -> {
            if (!(k.equals("data") && v.equals("default"))) {
                args.add("--" + k.replace('_', '-'));
                args.add(v);
            }
        });
        args.add("--optimizer");
        args.add(t.optimizer());
        args.add("--seed");
        args.add(Long.toString(t.seed()));
        args.add("--threads");
        args.add(Integer.toString(threadsPerTrial));
        ObjectNode trial = JSON.createObjectNode();
        trial.put("id", t.id());
        ArrayNode list = trial.putArray("args");
        args.forEach(list::add);
        try {
            Files.createDirectories(dir);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("trial.json").toFile(), trial);
        } catch (IOException e) {
            throw new StoreException("cannot write " + dir.resolve("trial.json") + ": " + e.getMessage(), e);
        }
    }

    private void record(String sweepId, String trialId, int exit) {
        TrialRecord t = store.trials(sweepId).stream().filter(x -> x.id().equals(trialId)).findFirst().orElseThrow();
        Path dir = trialDir(sweepId, t);
        Path result = dir.resolve("result.json");
        if (exit != 0 || !Files.isRegularFile(result)) {
            store.finish(trialId, TrialStatus.FAILED, null, null, null, null,
                    "exit code " + exit + ": " + logTail(dir.resolve("log.txt")), List.of());
            return;
        }
        try {
            JsonNode r = JSON.readTree(result.toFile());
            TrialStatus status = r.path("status").asText().equals("diverged") ? TrialStatus.DIVERGED : TrialStatus.COMPLETED;
            Double val = r.path("final_val_loss").isNumber() ? r.get("final_val_loss").asDouble() : null;
            Integer div = r.path("diverged_at_step").isNumber() ? r.get("diverged_at_step").asInt() : null;
            store.finish(trialId, status, val, div, r.path("optimizer_state_bytes").asLong(), r.toString(), null,
                    metrics(dir.resolve("metrics.jsonl")));
        } catch (IOException e) {
            store.finish(trialId, TrialStatus.FAILED, null, null, null, null, "unreadable result: " + e.getMessage(), List.of());
        }
    }

    static List<MetricRow> metrics(Path file) throws IOException {
        List<MetricRow> rows = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return rows;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            if (n.has("val_loss")) {
                rows.add(new MetricRow(n.get("step").asInt(), "eval", null, n.get("val_loss").asDouble(), null, null));
            } else {
                rows.add(new MetricRow(n.get("step").asInt(), "train", n.path("tokens").asLong(), n.path("loss").asDouble(),
                        n.path("lr").asDouble(), n.path("grad_norm").asDouble()));
            }
        }
        return rows;
    }

    private static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
