package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.optim.GroupRules;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;

/**
 * A local study's trials run in warm workers, one per parallel slot, each taking trials in turn:
 * every optimizer's trial gives the same steps and result in a warm worker as alone in a fresh
 * process, and a worker killed mid-trial loses only that attempt while the study finishes.
 */
class WarmWorkerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The losses and metrics of a trial's steps and evaluations, without their timings. */
    private static List<String> steps(Path metrics) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            ObjectNode n = (ObjectNode) JSON.readTree(line);
            n.remove(List.of("time", "elapsed_s", "tokens_per_s", "ms", "step_ms", "wall_s"));
            out.add(n.toString());
        }
        return out;
    }

    @Test
    void everyOptimizersTrialInAWarmWorkerMatchesAFreshProcess() throws Exception {
        StringBuilder optimizers = new StringBuilder();
        for (String name : GroupRules.names()) {
            optimizers.append(name).append(": {lr: {value: 1.0e-3}}\n");
        }
        Path spec = CliProcess.tinySpec(dir, "warm", 6, 1, optimizers.toString());
        Path runs = dir.resolve("runs");
        CliProcess study = CliProcess.run(dir, Map.of(), 600, "study", spec.toString(), "--runs-dir", runs.toString(),
                "--threads-per-trial", "1");
        assertEquals(0, study.code(), study.err());
        List<Path> trials;
        try (var list = Files.list(runs.resolve("warm"))) {
            trials = list.filter(p -> Files.isRegularFile(p.resolve("trial.json"))).sorted().toList();
        }
        assertEquals(GroupRules.names().size(), trials.size());
        java.util.Set<String> workers = new java.util.HashSet<>();
        for (Path trial : trials) {
            workers.add(Files.readString(trial.resolve("pid")).trim());
            Path alone = dir.resolve("alone").resolve(trial.getFileName());
            Files.createDirectories(alone);
            ObjectNode file = (ObjectNode) JSON.readTree(trial.resolve("trial.json").toFile());
            file.remove("report");
            Files.writeString(alone.resolve("trial.json"), file.toString());
            CliProcess fresh = CliProcess.run(dir, Map.of(), 300, "worker", alone.toString());
            assertEquals(0, fresh.code(), fresh.err());
            String optimizer = file.path("run").path("optimizer").path("name").asText();
            assertEquals(steps(alone.resolve("metrics.jsonl")), steps(trial.resolve("metrics.jsonl")),
                    optimizer + ": every step and evaluation as in a fresh process");
            JsonNode a = JSON.readTree(alone.resolve("result.json").toFile());
            JsonNode w = JSON.readTree(trial.resolve("result.json").toFile());
            assertEquals(a.path("final_val_loss"), w.path("final_val_loss"), optimizer);
        }
        assertEquals(1, workers.size(), "parallel 1: one warm worker ran all " + trials.size() + " trials: " + workers);
        assertOwnerOnly(runs.resolve("warm"));
        for (Path trial : trials) {
            try (var walk = Files.walk(trial)) {
                for (Path p : walk.toList()) {
                    assertOwnerOnly(p);
                }
            }
        }
        assertOwnerOnly(runs.resolve("warm/workers.log"));
    }

    /** Trial files 0600 and directories 0700, whoever wrote them (the driver or its workers). */
    private static void assertOwnerOnly(Path p) throws Exception {
        String want = Files.isDirectory(p) ? "rwx------" : "rw-------";
        assertEquals(want, java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)),
                p.toString());
    }

    @Test
    void aWorkerKilledMidTrialLosesOnlyThatAttempt() throws Exception {
        Path spec = CliProcess.tinySpec(dir, "killed", 400, 1, "adamw: {lr: {values: [1.0e-3, 3.0e-3, 1.0e-2]}}\n");
        Path runs = dir.resolve("runs");
        Process study = new ProcessBuilder(CliProcess.command("study", spec.toString(), "--runs-dir", runs.toString(),
                "--threads-per-trial", "1")).redirectErrorStream(true).redirectOutput(dir.resolve("study.log").toFile())
                .start();
        Path second = runs.resolve("killed/killed-0001");
        long deadline = System.currentTimeMillis() + 240_000;
        boolean killed = false;
        while (!killed && System.currentTimeMillis() < deadline && study.isAlive()) {
            Thread.sleep(100);
            Path metrics = second.resolve("metrics.jsonl");
            if (Files.isRegularFile(metrics) && Files.readAllLines(metrics).size() > 20) {
                long pid = Long.parseLong(Files.readString(second.resolve("pid")).trim().split("\\s+")[0]);
                killed = ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false);
            }
        }
        assertTrue(killed, "never caught the second trial running: " + Files.readString(dir.resolve("study.log")));
        assertTrue(study.waitFor(300, TimeUnit.SECONDS), "the study did not finish");
        assertEquals(0, study.exitValue(), Files.readString(dir.resolve("study.log")));
        try (TrialStore store = TrialStore.sqlite(runs.resolve("optbench.db"))) {
            List<TrialRecord> all = store.trials("killed");
            assertEquals(3, all.size());
            for (TrialRecord t : all) {
                assertEquals(TrialStatus.COMPLETED, t.status(), t.toString());
                assertEquals(t.id().equals("killed-0001") ? 2 : 1, t.attempts(), t.toString());
            }
        }
    }
}
