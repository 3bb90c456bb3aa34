package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.sweep.store.TrialStore;

/**
 * Bad values in a sweep spec are refused by {@code optbench study} and {@code optbench sweep
 * submit}, run as processes: exit code 2, the error on stderr names the setting and its value,
 * the refusal comes before any trial is stored or trained (the store holds no sweep and the runs
 * directory no trial directory), and a grid of 10^8 points is refused by its count alone.
 */
class SpecValidationTest {

    /** How long a refusal may take here at most; it is measured, and printed. */
    private static final long REFUSAL_SECONDS = 60;

    @TempDir
    Path dir;

    private static final String BASE = """
            name: NAME
            model: {preset: nano}
            data: synthetic
            STEPS
            batch: 16
            parameters:
              optimizer:
                adamw: {lr: {values: [1.0e-2]}}
            """;

    private static String spec(String name, String steps, String extra) {
        return BASE.replace("NAME", name).replace("STEPS", steps) + extra;
    }

    @Test
    void everyBadValueIsRefusedAtSubmissionWithExitCode2AndNothingTrains() throws Exception {
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("steps", new String[] {spec("steps", "steps: -1", ""), "steps -1: must be a whole number in [1,"});
        cases.put("batch0", new String[] {spec("batch0", "steps: 5", "").replace("batch: 16", "batch: 0"),
            "batch 0: must be a whole number in [1,"});
        cases.put("batch1e9", new String[] {spec("batch1e9", "steps: 5", "").replace("batch: 16", "batch: 1e9"),
            "batch 1000000000: must be a whole number in [1, 1,048,576]"});
        cases.put("dmodel", new String[] {spec("dmodel", "steps: 5", "").replace("{preset: nano}",
                "{preset: nano, d_model: 1e6}"), "d_model 1000000: must be a whole number in [2, 65,536]"});
        cases.put("preset", new String[] {spec("preset", "steps: 5", "").replace("{preset: nano}", "{preset: 1.2b}")
                .replace("batch: 16", "batch: 256"), "memory: preset 1.2b"});
        cases.put("micro", new String[] {spec("micro", "steps: 5", "micro_batch: 7\n"), "micro_batch 7: must divide batch 16"});
        cases.put("tokens", new String[] {spec("tokens", "tokens: -5", ""), "tokens -5: must be a whole number in [1,"});
        cases.put("warmup", new String[] {spec("warmup", "steps: 5", "train: {warmup: -5}\n"), "warmup -5.0: must be"});
        cases.put("seeds", new String[] {spec("seeds", "steps: 5", "seeds: [1e30]\n"), "seeds 1.0E30 is not a whole number"});
        cases.put("evaltokens", new String[] {spec("evaltokens", "steps: 5", "train: {eval_tokens: 1e12}\n")
                .replace("data: synthetic", "data: default"), "eval_tokens 1,000,000,000,000: more than the 102,800 tokens"});
        cases.put("grid", new String[] {hugeGrid(), "expands to 100,000,000 trials"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            Path file = dir.resolve(c.getKey() + ".yaml");
            Files.writeString(file, c.getValue()[0]);
            refused("study", file, c.getKey(), c.getValue()[1]);
        }
        for (String again : List.of("steps", "grid", "micro")) {
            refused("sweep submit", dir.resolve(again + ".yaml"), again, cases.get(again)[1]);
        }
    }

    private void refused(String command, Path file, String name, String fragment) throws Exception {
        Path runs = dir.resolve("runs-" + name);
        List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of(file.toString(), "--runs-dir", runs.toString()));
        CliProcess r = CliProcess.run(dir, Map.of(), REFUSAL_SECONDS, args.toArray(String[]::new));
        String[] lines = r.err().strip().split("\n");
        System.out.printf("%s %s: exit %d in %d ms: %s%n", command, name, r.code(), r.millis(), lines[lines.length - 1]);
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), name + ": " + r.err() + r.out());
        assertTrue(r.err().contains(fragment), name + ": " + r.err());
        assertFalse(r.err().contains("Exception"), name + " names the problem, not an exception: " + r.err());
        Path db = runs.resolve("optbench.db");
        if (Files.exists(db)) {
            try (TrialStore store = TrialStore.sqlite(db)) {
                assertTrue(store.sweeps().isEmpty(), name + ": nothing stored");
            }
        }
        try (var entries = Files.exists(runs) ? Files.list(runs) : java.util.stream.Stream.<Path>empty()) {
            assertTrue(entries.noneMatch(Files::isDirectory), name + ": no trial directory");
        }
    }

    private static String hugeGrid() {
        StringBuilder s = new StringBuilder("name: grid\nmodel: {preset: nano}\ndata: synthetic\nsteps: 5\nparameters:\n"
                + "  optimizer: {values: [adamw]}\n");
        for (String key : List.of("lr", "beta1", "beta2", "eps", "wd", "warmup", "clip", "z_loss")) {
            s.append("  ").append(key).append(": {values: [");
            for (int i = 1; i <= 10; i++) {
                s.append(i == 1 ? "" : ", ").append(i / 100.0);
            }
            s.append("]}\n");
        }
        return s.toString();
    }

    @Test
    void trainRefusesBadFlagsBeforeBuildingAnything() throws Exception {
        CliProcess micro = CliProcess.run(dir, Map.of(), REFUSAL_SECONDS, "train", "--data", "synthetic", "--batch", "16",
                "--micro-batch", "7", "--steps", "2");
        assertEquals(Main.EXIT_BAD_INPUT, micro.code(), micro.err());
        assertTrue(micro.err().contains("micro_batch 7: must divide batch 16"), micro.err());
        CliProcess several = CliProcess.run(dir, Map.of(), REFUSAL_SECONDS, "train", "--data", "synthetic", "--batch", "0",
                "--steps", "-1", "--eval-tokens", "0");
        assertEquals(Main.EXIT_BAD_INPUT, several.code(), several.err());
        for (String f : List.of("3 problems", "batch 0", "steps -1", "eval_tokens 0")) {
            assertTrue(several.err().contains(f), "every bad value is named at once: " + several.err());
        }
        CliProcess type = CliProcess.run(dir, Map.of(), REFUSAL_SECONDS, "train", "--lr", "fast");
        assertEquals(Main.EXIT_BAD_INPUT, type.code(), type.err());
        assertTrue(type.err().contains("invalid lr 'fast': not a number"), type.err());
    }

    @Test
    void trainsFlagsAndHelpComeFromTheRegistries() throws Exception {
        CliProcess help = CliProcess.run(dir, Map.of(), REFUSAL_SECONDS, "train", "--help");
        assertEquals(0, help.code(), help.err());
        for (String expected : List.of("--lr-last=NUMBER", "--vector-mode=scalar|full", "--nesterov[=true|false]",
                "SGD's heavy-ball momentum; Muon's Nesterov momentum (default sgd 0.98, muon 0.95)", "--d-model=N",
                "--eval-steps=S,S,...", "--config=<config>")) {
            assertTrue(help.out().replaceAll("\\s+", " ").contains(expected), expected + " in:\n" + help.out());
        }
        CliProcess unused = CliProcess.run(dir, Map.of(), REFUSAL_SECONDS, "train", "--data", "synthetic", "--steps", "1",
                "--optimizer", "adamw", "--momentum", "0.9");
        assertEquals(Main.EXIT_BAD_INPUT, unused.code(), unused.err());
        assertTrue(unused.err().contains("'momentum' is not used by any group"), unused.err());
    }

    @Test
    void usageErrorsSayWhatWasMeant() throws Exception {
        CliProcess command = CliProcess.run(dir, Map.of(), REFUSAL_SECONDS, "stduy", "examples/quick.yaml");
        assertEquals(Main.EXIT_BAD_INPUT, command.code(), command.err());
        assertTrue(command.err().contains("did you mean 'study'?"), command.err());
        CliProcess option = CliProcess.run(dir, Map.of(), REFUSAL_SECONDS, "train", "--optimzer", "adamw");
        assertEquals(Main.EXIT_BAD_INPUT, option.code(), option.err());
        assertTrue(option.err().contains("did you mean '--optimizer'?"), option.err());
        CliProcess specKey = CliProcess.run(dir, Map.of(), REFUSAL_SECONDS, "study", "spec.yaml", "--parallel", "2");
        assertEquals(Main.EXIT_BAD_INPUT, specKey.code(), specKey.err());
        assertTrue(specKey.err().contains("'parallel' is a key of the sweep spec, not an option"), specKey.err());
        CliProcess misspelled = CliProcess.run(dir, Map.of(), REFUSAL_SECONDS, "study", "spec.yaml", "--paralel", "2");
        assertEquals(Main.EXIT_BAD_INPUT, misspelled.code(), misspelled.err());
        assertTrue(misspelled.err().contains("did you mean the sweep spec's key 'parallel'? It is not an option: write "
                + "'parallel: ...' in the spec file"), misspelled.err());
        CliProcess empty = CliProcess.run(dir, Map.of(), REFUSAL_SECONDS, "sweep", "list", "--runs-dir",
                dir.resolve("runs").toString());
        assertEquals(0, empty.code(), empty.err());
        assertEquals("no sweeps", empty.out().strip());
        CliProcess uiFirst = CliProcess.run(dir, Map.of(), REFUSAL_SECONDS, "study", "--ui", "absent.yaml");
        assertEquals(Main.EXIT_BAD_INPUT, uiFirst.code(), uiFirst.err());
        assertTrue(uiFirst.err().contains("no such file: absent.yaml"), "--ui before the spec takes no port: " + uiFirst.err());
        CliProcess uiPort = CliProcess.run(dir, Map.of(), REFUSAL_SECONDS, "study", "absent.yaml", "--ui", "70000");
        assertEquals(Main.EXIT_BAD_INPUT, uiPort.code(), uiPort.err());
        assertTrue(uiPort.err().contains("--ui 70000: a port lies in [0, 65535]"), uiPort.err());
        CliProcess uiRemote = CliProcess.run(dir, Map.of(), REFUSAL_SECONDS, "study", "absent.yaml", "--ui", "--server",
                "127.0.0.1:1");
        assertEquals(Main.EXIT_BAD_INPUT, uiRemote.code(), uiRemote.err());
        assertTrue(uiRemote.err().contains("--ui serves the dashboard of a study run here"), uiRemote.err());
    }

    @Test
    void trainEndsWithAHumanSummaryAndKeepsTheResultLastOnStdout() throws Exception {
        Path metrics = dir.resolve("m.jsonl");
        CliProcess r = CliProcess.run(dir, Map.of(), 120, "train", "--preset", "nano", "--data", "synthetic", "--steps",
                "3", "--eval-points", "1", "--metrics-out", metrics.toString());
        assertEquals(0, r.code(), r.err());
        List<String> out = r.out().strip().lines().toList();
        assertTrue(out.get(out.size() - 1).startsWith("{\"status\":\"completed\""), r.out());
        List<String> err = r.err().strip().lines().toList();
        String summary = err.get(err.size() - 1);
        assertTrue(summary.matches("done: completed 3 steps, val_loss \\d+\\.\\d{4} \\(best \\d+\\.\\d{4}\\), [\\d,]+ tok/s, "
                + "[\\d.]+ s; metrics " + java.util.regex.Pattern.quote(metrics.toString())), summary);
    }
}
