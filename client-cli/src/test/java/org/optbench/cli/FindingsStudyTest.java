package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The findings engine end to end, through {@code optbench study} run as a process: a beta1 sweep
 * whose LR is tuned per point gets a beta1 axis, panel and plot; extend_edges and refine add
 * trials once the grid has run; the declared claims are printed in the table after the study and
 * written to summary.json; and a portability study on the CPU and the first OpenCL device (PoCL in
 * CI) reports each device's throughput and the agreement of their final losses.
 */
class FindingsStudyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aBetaSweepWithRefineAndClaimsRunsEndToEnd() throws Exception {
        Path spec = dir.resolve("beta.yaml");
        Files.writeString(spec, """
                name: beta
                model: {preset: nano, d_model: 32, layers: 1}
                data: synthetic
                steps: 30
                batch: 4
                seeds: [0]
                parallel: 2
                train: {eval_tokens: 2048, eval_points: 1}
                refine: {seeds: 2, around_best: 0}
                extend_edges: {max_points: 1}
                analysis: {min_seeds: 2}
                parameters:
                  optimizer:
                    signum:
                      lr: {values: [1.0e-3, 3.16e-3]}
                      beta1: {values: [0.0, 0.9]}
                claims:
                  - {id: momentum-helps, type: better, a: 0.9, b: 0.0, axis: beta1}
                """);
        CliProcess r = CliProcess.run(dir, Map.of(), 600, "study", spec.toString(), "--runs-dir", dir.resolve("runs").toString());
        assertEquals(0, r.code(), r.err());
        Path report = dir.resolve("runs/beta/report");
        assertTrue(Files.size(report.resolve("loss_vs_beta1.png")) > 0 && Files.size(report.resolve("loss_vs_lr.png")) > 0);
        JsonNode summary = JSON.readTree(report.resolve("summary.json").toFile());
        List<String> axes = new ArrayList<>();
        summary.get("axes").forEach(a -> axes.add(a.get("name").asText()));
        assertEquals(List.of("lr", "beta1"), axes);
        assertEquals("lr tuned per point", summary.get("panels").get("beta1").get(0).get("conditions").asText());
        JsonNode signum = summary.get("optimizers").get(0);
        assertTrue(signum.get("trials").asInt() > 4, "extend_edges or refine added trials: " + signum.get("trials"));
        assertEquals(2, signum.get("seeds_at_best").asInt(), "refine: 2 seeds at the best point");
        int total = signum.get("trials").asInt();
        assertTrue(r.out().contains("trials " + total + "/" + total + " done"), "the progress counts the trials added "
                + "after the grid: " + r.out());
        JsonNode claim = summary.get("claims").get(0);
        assertEquals("momentum-helps", claim.get("id").asText());
        assertTrue(List.of("supported", "refuted", "inconclusive").contains(claim.get("verdict").asText()));
        assertEquals(2, claim.get("ci").size());
        assertTrue(r.out().contains("momentum-helps") && r.out().contains(claim.get("verdict").asText()),
                "the claims table follows the study: " + r.out());
        CliProcess csv = CliProcess.run(dir, Map.of(), 120, "results", "beta", "--format", "csv", "--runs-dir",
                dir.resolve("runs").toString());
        assertEquals(0, csv.code(), csv.err());
        assertTrue(csv.out().startsWith("trial,optimizer,beta1,lr,seed,state,final_val_loss,"), "one column per setting: "
                + csv.out());
        Path table = Files.writeString(dir.resolve("beta.csv"), csv.out());
        CliProcess analyzed = CliProcess.run(dir, Map.of(), 120, "analyze", table.toString(), "--spec", spec.toString(), "-o",
                dir.resolve("analyzed").toString());
        assertEquals(0, analyzed.code(), analyzed.err());
        JsonNode again = JSON.readTree(dir.resolve("analyzed/summary.json").toFile()).get("claims").get(0);
        for (String key : new String[] {"verdict", "estimate", "ci", "method", "paired", "n_a", "n_b", "n_pairs", "p", "reason"}) {
            assertEquals(claim.get(key), again.get(key), key + ": results --format csv judged by analyze matches the study");
        }
        exportsLoadAsTheyAre(table, total);
        System.out.printf("beta1 study with refine and a claim: %d trials in %.1f s; claim %s%n", signum.get("trials").asInt(),
                r.millis() / 1000.0, claim.get("verdict").asText());
    }

    @Test
    void aOneAtATimeStudyJudgesEachValueAgainstTheDefaultPoint() throws Exception {
        Path spec = dir.resolve("robust.yaml");
        Files.writeString(spec, """
                name: robust
                method: one_at_a_time
                model: {preset: nano, d_model: 32, layers: 1}
                data: synthetic
                steps: 30
                seeds: [1, 2]
                parallel: 2
                train: {eval_tokens: 2048, eval_points: 1}
                analysis: {min_seeds: 2, margin: 0.5}
                parameters:
                  optimizer:
                    adamw:
                      lr: {value: 1.0e-2}
                      beta1: {values: [0.8, 0.9], default: 0.9}
                  batch: {values: [4, 8], default: 4}
                claims:
                  - {id: beta1-0.8, type: equivalent, a: {optimizer: adamw, beta1: 0.8}, b: adamw}
                  - {id: batch-8, type: equivalent, a: {optimizer: adamw, batch: 8}, b: adamw}
                """);
        String runs = dir.resolve("runs").toString();
        CliProcess r = CliProcess.run(dir, Map.of(), 600, "study", spec.toString(), "--runs-dir", runs);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("robust.yaml, 6 trials"), "the default point and one other value of each: " + r.out());
        JsonNode summary = JSON.readTree(dir.resolve("runs/robust/report/summary.json").toFile());
        List<String> panels = new ArrayList<>();
        summary.get("panels").fieldNames().forEachRemaining(panels::add);
        assertEquals(List.of("beta1", "batch"), panels);
        for (JsonNode claim : summary.get("claims")) {
            assertTrue(claim.get("paired").asBoolean() && claim.get("n_pairs").asInt() == 2,
                    "each value against the default point, seed by seed: " + claim);
            assertTrue(r.out().contains(claim.get("id").asText() + " "), r.out());
        }
        CliProcess csv = CliProcess.run(dir, Map.of(), 120, "results", "robust", "--format", "csv", "--runs-dir", runs);
        assertEquals(0, csv.code(), csv.err());
        Path table = Files.writeString(dir.resolve("robust.csv"), csv.out());
        CliProcess analyzed = CliProcess.run(dir, Map.of(), 120, "analyze", table.toString(), "--spec", spec.toString(), "-o",
                dir.resolve("analyzed").toString());
        assertEquals(0, analyzed.code(), analyzed.err());
        JsonNode again = JSON.readTree(dir.resolve("analyzed/summary.json").toFile()).get("claims");
        for (int i = 0; i < 2; i++) {
            for (String key : new String[] {"verdict", "estimate", "ci", "n_pairs"}) {
                assertEquals(summary.get("claims").get(i).get(key), again.get(i).get(key), key + ": analyze holds the "
                        + "defaults of the one-at-a-time spec as the study did");
            }
        }
    }

    /**
     * The sweep's exports as a user loads them: the CSV by Python's csv module with one column per
     * setting, the JSON with numbers as numbers and states in lower case, every trial as a table,
     * and the summary and the status each under a header.
     */
    private void exportsLoadAsTheyAre(Path csv, int total) throws Exception {
        String runs = dir.resolve("runs").toString();
        Process py = new ProcessBuilder("python3", "-c", "import csv, json, sys\n"
                + "rows = list(csv.DictReader(open(sys.argv[1], newline='')))\n"
                + "print(json.dumps({'columns': list(rows[0].keys()), 'rows': len(rows), "
                + "'lr': [float(r['lr']) for r in rows], 'beta1': [float(r['beta1']) for r in rows]}))", csv.toString())
                .redirectErrorStream(true).start();
        String read = new String(py.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, py.waitFor(), read);
        JsonNode loaded = JSON.readTree(read);
        assertEquals(total, loaded.get("rows").asInt(), read);
        assertEquals(List.of("trial", "optimizer", "beta1", "lr", "seed", "state"),
                JSON.convertValue(loaded.get("columns"), List.class).subList(0, 6), read);

        CliProcess json = CliProcess.run(dir, Map.of(), 120, "results", "beta", "--format", "json", "--runs-dir", runs);
        assertEquals(0, json.code(), json.err());
        JsonNode all = JSON.readTree(json.out());
        assertEquals("completed", all.get("sweep").get("state").asText(), json.out());
        assertEquals(total, all.get("sweep").get("trials_total").asInt());
        for (JsonNode t : all.get("trials")) {
            assertTrue(t.get("seed").isIntegralNumber() && t.get("state_bytes").isIntegralNumber()
                    && t.get("index").isIntegralNumber(), t.toString());
            assertTrue(List.of("completed", "diverged").contains(t.get("state").asText()), t.toString());
            assertTrue(t.get("params").get("lr").isNumber() && t.get("params").get("beta1").isNumber(), t.toString());
            assertTrue(t.get("final_val_loss").isNumber() || t.get("state").asText().equals("diverged"), t.toString());
            assertTrue(t.get("result").isObject(), "the trial's result as an object: " + t);
        }

        CliProcess trials = CliProcess.run(dir, Map.of(), 120, "results", "beta", "--format", "trials", "--runs-dir", runs);
        assertEquals(0, trials.code(), trials.err());
        List<String> rows = trials.out().lines().toList();
        assertTrue(rows.get(0).matches("trial +optimizer +beta1 +lr +seed +state +final_val_loss +diverged_at_step +attempts"),
                trials.out());
        assertEquals(total + 1, rows.size(), trials.out());

        CliProcess summary = CliProcess.run(dir, Map.of(), 120, "results", "beta", "--runs-dir", runs);
        assertTrue(summary.out().startsWith("sweep beta: the per-optimizer summary"), summary.out());
        CliProcess status = CliProcess.run(dir, Map.of(), 120, "sweep", "status", "beta", "--runs-dir", runs);
        List<String> lines = status.out().lines().toList();
        assertTrue(lines.get(0).matches("sweep +state +finished +running +diverged +stopped +failed +owner"), status.out());
        assertTrue(lines.get(1).startsWith("beta "), status.out());
    }

    @Test
    void aPortabilityStudyReportsThroughputAndAgreementPerDevice() throws Exception {
        org.optbench.kernels.opencl.OpenClTestDevice.selector();   // skips without OpenCL, fails in CI (OPTBENCH_REQUIRE_OPENCL=1)
        Path spec = Path.of("..", "examples", "portability.yaml").toAbsolutePath();
        CliProcess r = CliProcess.run(dir, Map.of(), 600, "study", spec.toString(), "--runs-dir", dir.resolve("runs").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode devices = JSON.readTree(dir.resolve("runs/portability/report/summary.json").toFile()).get("devices");
        assertEquals("cpu", devices.get("reference").asText());
        assertTrue(devices.get("tokens_per_s").get("cpu").asDouble() > 0 && devices.get("tokens_per_s").get("opencl").asDouble() > 0,
                devices.toString());
        JsonNode agreement = devices.get("agreement").get(0);
        assertEquals("opencl", agreement.get("device").asText());
        assertEquals(4, agreement.get("pairs").asInt(), "every point ran on both devices");
        assertTrue(agreement.get("max_abs_diff").asDouble() < 1e-3, agreement.toString());
        assertEquals(0, agreement.get("over_tolerance").size(), agreement.toString());
        assertTrue(Files.size(dir.resolve("runs/portability/report/loss_vs_device.png")) > 0);
        assertTrue(r.out().contains("opencl vs cpu: 4 trial pairs"), r.out());
        System.out.printf("portability study: cpu %.0f tok/s, opencl %.0f tok/s, max |final loss difference| %.2e, %.1f s%n",
                devices.get("tokens_per_s").get("cpu").asDouble(), devices.get("tokens_per_s").get("opencl").asDouble(),
                agreement.get("max_abs_diff").asDouble(), r.millis() / 1000.0);
    }
}
