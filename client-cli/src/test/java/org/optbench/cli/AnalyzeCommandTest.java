package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code optbench analyze} run as a process on tables of runs written here, as another tool would
 * export them: CSV and JSON Lines give the same findings, runs in other states are left out and
 * counted, {@code -o} writes the study's files, and each kind of bad input exits 2 naming the row,
 * column or key.
 */
class AnalyzeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static final String SPEC = """
            analysis: {margin: 0.05, min_seeds: 5}
            claims:
              - {id: sgd-worse, type: worse, a: sgd, b: adamw}
              - {id: adam-signum, type: equivalent, a: adamw, b: signum}
              - {id: momentum, type: better, a: 0.9, b: 0.0, optimizer: signum, axis: beta1}
            """;

    /** Three optimizers over three LRs and five seeds; signum also over beta1; sgd is 0.4 nats behind. */
    private static String csv() {
        StringBuilder t = new StringBuilder("optimizer,lr,beta1,seed,state,final_val_loss,tokens_per_s\n");
        String[] lrs = {"0.001", "0.00316", "0.01"};
        double[] shape = {0.05, 0.0, 0.06};
        for (int s = 0; s < 5; s++) {
            double seed = 0.02 * Math.sin(3 * s + 1);
            for (int i = 0; i < 3; i++) {
                row(t, "adamw", lrs[i], "", s, 3.50 + shape[i] + seed + 0.001 * s);
                row(t, "sgd", lrs[i], "", s, 3.90 + shape[i] + seed);
                row(t, "signum", lrs[i], "0.9", s, 3.505 + shape[i] + seed);
                row(t, "signum", lrs[i], "0.0", s, 3.60 + shape[i] + seed);
            }
        }
        t.append("adamw,0.1,,0,failed,,\n").append("adamw,0.1,,1,diverged,,\n");
        return t.toString();
    }

    private static void row(StringBuilder t, String opt, String lr, String beta1, int seed, double loss) {
        t.append(String.format(Locale.ROOT, "%s,%s,%s,%d,completed,%.6f,1000%n", opt, lr, beta1, seed, loss));
    }

    /** The CSV table as JSON Lines, numbers as JSON numbers. */
    private static String jsonLines(String csv) {
        StringBuilder out = new StringBuilder();
        String[] lines = csv.split("\n");
        String[] header = lines[0].split(",", -1);
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            var n = JSON.createObjectNode();
            for (int c = 0; c < header.length; c++) {
                if (cells[c].isEmpty()) {
                    continue;
                }
                if (header[c].equals("optimizer") || header[c].equals("state")) {
                    n.put(header[c], cells[c]);
                } else {
                    n.put(header[c], Double.parseDouble(cells[c]));
                }
            }
            out.append(n).append('\n');
        }
        return out.toString();
    }

    @Test
    void csvAndJsonLinesGiveTheSameFindings() throws Exception {
        Path spec = Files.writeString(dir.resolve("claims.yaml"), SPEC);
        Path csv = Files.writeString(dir.resolve("runs.csv"), csv());
        Path lines = Files.writeString(dir.resolve("runs.jsonl"), jsonLines(csv()));
        CliProcess a = CliProcess.run(dir, Map.of(), 120, "analyze", csv.toString(), "--spec", spec.toString(), "-o",
                dir.resolve("out-csv").toString());
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("left out 1 in other states {failed=1}"), a.out());
        assertTrue(a.out().contains("sgd-worse") && a.out().contains("supported"), a.out());
        CliProcess b = CliProcess.run(dir, Map.of(), 120, "analyze", lines.toString(), "--spec", spec.toString(), "-o",
                dir.resolve("out-jsonl").toString());
        assertEquals(0, b.code(), b.err());
        JsonNode fromCsv = JSON.readTree(dir.resolve("out-csv/summary.json").toFile());
        JsonNode fromLines = JSON.readTree(dir.resolve("out-jsonl/summary.json").toFile());
        assertEquals(fromCsv.get("claims"), fromLines.get("claims"), "the same claims from either format");
        assertTrue(Files.size(dir.resolve("out-csv/report.html")) > 0 && Files.size(dir.resolve("out-csv/loss_vs_lr.png")) > 0);
        JsonNode claims = fromCsv.get("claims");
        assertEquals("supported", claims.get(0).get("verdict").asText(), claims.get(0).toString());
        assertEquals("paired_t", claims.get(0).get("method").asText());
        assertEquals(5, claims.get(0).get("n_pairs").asInt());
        JsonNode eq = claims.get(1);
        assertEquals(0.05, eq.get("margin").asDouble(), "the study's margin");
        assertTrue(eq.has("ci90") && eq.has("margin_needed") && eq.has("p_holm") && eq.has("reason"), eq.toString());
        assertEquals("supported", claims.get(2).get("verdict").asText(), "beta1 0.9 beats 0.0 by 0.095: " + claims.get(2));
        assertTrue(fromCsv.get("optimizers").toString().contains("\"diverged\":1"), "the diverged row counts");
    }

    @Test
    void badTablesAndClaimsExitTwoNamingTheRowOrKey() throws Exception {
        Path spec = Files.writeString(dir.resolve("claims.yaml"), SPEC);
        String good = csv();
        assertRefused(good.replace("final_val_loss", "loss"), spec, "missing column 'final_val_loss'");
        assertRefused(good.replaceFirst("completed,3\\.5[0-9]*", "completed,abc"), spec, "row 1: final_val_loss 'abc' is not a number");
        assertRefused(good.replaceFirst("adamw,0\\.001,,0,", "adamw,0.001,,zero,"), spec, "row 1: seed 'zero' is not a whole number");
        Path lion = Files.writeString(dir.resolve("lion.yaml"), SPEC.replace("a: sgd, b: adamw", "a: lion, b: adamw"));
        assertRefused(good, lion, "optimizer 'lion' is not in this sweep");
        Path value = Files.writeString(dir.resolve("value.yaml"), SPEC.replace("a: 0.9, b: 0.0", "a: 0.95, b: 0.0"));
        assertRefused(good, value, "beta1 0.95 is not in signum's grid");
        Path noMargin = Files.writeString(dir.resolve("nomargin.yaml"), SPEC.replace("margin: 0.05, ", ""));
        assertRefused(good, noMargin, "equivalent needs a margin");
    }

    private void assertRefused(String table, Path spec, String fragment) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.csv"), table);
        CliProcess r = CliProcess.run(dir, Map.of(), 120, "analyze", file.toString(), "--spec", spec.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(fragment), "wanted '" + fragment + "' in: " + r.err());
    }
}
