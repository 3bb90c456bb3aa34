package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.sweep.analysis.AnalysisSpec;
import org.optbench.sweep.analysis.Axis;
import org.optbench.sweep.analysis.Findings;
import org.optbench.sweep.analysis.Metric;
import org.optbench.sweep.analysis.OptimizerFindings;
import org.optbench.sweep.analysis.SweepModel;
import org.optbench.sweep.report.Plots;
import org.optbench.sweep.report.ReportWriter;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.TrialOutcome;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;
import org.optbench.sweep.trial.Points;
import org.optbench.sweep.trial.Trial;

/** The analysis on a hand-made set of results, and the report built from a store holding them. */
class AnalysisAndReportTest {

    @TempDir
    Path dir;

    private static TrialRecord trial(int i, String opt, double lr, long seed, TrialStatus status, Double loss) {
        return new TrialRecord("t" + i, "s", i, opt + lr + seed, opt, Points.of(Map.of("lr", Double.toString(lr))), seed, status, null,
                1, null, null, null, loss, status == TrialStatus.DIVERGED ? 5 : null, 800L, null, null, null);
    }

    /** adamw: flat near its best; sgd: a sharp minimum and a diverged point. */
    private static List<TrialRecord> handMade() {
        List<TrialRecord> t = new ArrayList<>();
        double[] lrs = {1e-4, 3.16e-4, 1e-3, 3.16e-3, 1e-2};
        double[] adam = {4.30, 4.05, 4.00, 4.01, 4.09};
        double[] sgd = {4.90, 4.60, 4.40, 4.75, Double.NaN};
        int i = 0;
        for (int k = 0; k < lrs.length; k++) {
            for (long seed = 0; seed < 2; seed++) {
                double jitter = seed == 0 ? -0.01 : 0.01;
                t.add(trial(i++, "adamw", lrs[k], seed, TrialStatus.COMPLETED, adam[k] + jitter));
                boolean div = Double.isNaN(sgd[k]);
                t.add(trial(i++, "sgd", lrs[k], seed, div ? TrialStatus.DIVERGED : TrialStatus.COMPLETED,
                        div ? null : sgd[k] + jitter));
            }
        }
        return t;
    }

    private static final String SPEC = """
            name: s
            steps: 10
            data: synthetic
            seeds: [0, 1]
            analysis: {min_seeds: 2}
            parameters:
              optimizer:
                adamw: {lr: {values: [1e-4, 3.16e-4, 1e-3, 3.16e-3, 1e-2]}}
                sgd: {lr: {values: [1e-4, 3.16e-4, 1e-3, 3.16e-3, 1e-2]}}
            claims:
              - {id: sgd-worse, type: worse, a: sgd, b: adamw, metric: best_loss}
              - {id: same, type: equivalent, a: sgd, b: adamw, metric: best_loss, margin: 0.02}
            """;

    @Test
    void theModelComesFromTheResultsEvenWhenTheyPredateTheParameterCount() {
        List<TrialRecord> trials = new ArrayList<>();
        String config = "{\"status\":\"completed\",\"config\":{\"vocab\":64,\"d_model\":16,\"layers\":1,\"heads\":2,"
                + "\"seq_len\":8%s}}";
        for (TrialRecord t : handMade()) {
            trials.add(new TrialRecord(t.id(), t.sweepId(), t.index(), t.key(), t.optimizer(), t.point(), t.seed(), t.status(),
                    null, 1, null, null, null, t.finalValLoss(), t.divergedAt(), 800L,
                    String.format(config, t.index() == 0 ? "" : ",\"parameters\":100"), null, null));
        }
        long counted = new org.optbench.model.ParameterLayout(org.optbench.model.ModelConfig.of(64, 16, 1, 2, 8)).totalCount();
        assertEquals(64, SweepModel.of(trials).vocab());
        assertEquals(800.0 / counted, Findings.of(trials, AnalysisSpec.defaults()).stateBytes().get("adamw"), 1e-12,
                "an older result without parameters: counted from its shape");
        assertEquals(null, SweepModel.of(handMade()), "no result yet: no model");
    }

    @Test
    void bestLossStabilityAndSeedStatisticsFollowTheirDefinitions() {
        Findings f = Findings.of(handMade(), AnalysisSpec.defaults());
        OptimizerFindings adam = f.summary("adamw");
        OptimizerFindings sgd = f.summary("sgd");
        assertEquals(4.00, adam.bestLoss(), 1e-12);
        assertEquals(1e-3, adam.best().value().asNumber(), 1e-15);
        // within 0.02 of 4.00: from 2/5 of the way to 3.16e-4 (4.05) to 1/8 of the way from 3.16e-3 (4.01) to 1e-2 (4.09)
        double u316 = Math.log10(3.16e-4);
        double u3160 = Math.log10(3.16e-3);
        double want = (u3160 + 0.125 * (-2 - u3160)) - (-3 + 0.4 * (u316 + 3));
        assertEquals(want, adam.stability().widths().get(Metric.WIDTH_002), 1e-9);
        // one decade around 1e-3: 1e-4 .. 1e-2, excess (0.30 + 0.05 + 0 + 0.01 + 0.09) / 5.
        assertEquals((0.30 + 0.05 + 0.0 + 0.01 + 0.09) / 5, adam.stability().excess(), 1e-9);
        assertEquals(Math.log(8192), f.worst(), 1e-12, "no result records the vocabulary: ln 8192 beats the largest loss 4.91");
        assertEquals(2, f.counts().get("sgd").diverged());
        assertEquals(2, sgd.stability().divergences());
        assertEquals(1e-2, sgd.stability().divergeAbove(), 1e-15);
        assertTrue(sgd.curve().points().get(4).allDiverged());
        double[] ci = adam.bestInterval();
        assertEquals(12.706204736 * Math.sqrt(2) * 0.01 / Math.sqrt(2), (ci[1] - ci[0]) / 2, 1e-6, "t(0.975, 1 dof)");
        assertTrue(f.pairs().get(0).p() < 0.05, "4.00 vs 4.40 with 0.01 spread differ");
    }

    @Test
    void reportWritesEveryFileAndThePlotsHoldTheSeries() throws Exception {
        try (TrialStore store = TrialStore.sqlite(dir.resolve("db.sqlite"))) {
            store.createSweep("s", "s", SPEC);
            List<TrialRecord> made = handMade();
            List<Trial> specs = new ArrayList<>();
            for (TrialRecord t : made) {
                specs.add(t.trial());
            }
            store.ensureTrials("s", specs);
            for (TrialRecord t : made) {
                String id = TrialStore.trialId("s", t.index());
                store.markRunning(id, "x");
                store.finish(id, new TrialOutcome(t.status(), t.finalValLoss(), t.divergedAt(), 800L,
                        "{\"device\":\"opencl opencl:0:0 Some GPU\",\"tokens_per_s\":1234,"
                                + "\"config\":{\"vocab\":64,\"parameters\":100}}", null,
                        List.of(new MetricRow(1, "eval", null, 5.0, null, null), new MetricRow(10, "eval", null,
                                t.finalValLoss() == null ? 6.0 : t.finalValLoss(), null, null))));
            }
            Path out = dir.resolve("report");
            Path html = org.optbench.sweep.SweepReports.write(store, "s", out);
            com.fasterxml.jackson.databind.JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(out.resolve("summary.json").toFile());
            assertEquals("lr", summary.get("axes").get(0).get("name").asText());
            assertEquals("supported", summary.get("claims").get(0).get("verdict").asText());
            assertEquals("refuted", summary.get("claims").get(1).get("verdict").asText());
            assertEquals(2, summary.get("claims").get(0).get("ci").size());
            for (String f : new String[] {"report.html", "loss_vs_lr.png", "loss_vs_lr.svg", "loss_vs_relative_lr.png",
                "validation_curves.svg", "memory_vs_loss.png", "trials.csv", "trials.json", "summary.json"}) {
                assertTrue(Files.size(out.resolve(f)) > 0, f);
            }
            java.awt.image.BufferedImage plot = javax.imageio.ImageIO.read(out.resolve("loss_vs_lr.png").toFile());
            assertEquals(2 * org.optbench.sweep.report.Plots.WIDTH, plot.getWidth(), "drawn at twice its layout size");
            String text = Files.readString(html);
            assertTrue(text.contains("figure img{width:100%"), "plots at page width");
            assertTrue(text.contains("data:image/png;base64,") && text.contains("<td class=\"l\">sgd</td>")
                    && text.indexOf("<h2>Claims</h2>") < text.indexOf("<h2>Optimizers</h2>"));
            String said = text.substring(text.indexOf("<p>Best: "), text.indexOf("</p>", text.indexOf("<p>Best: ")));
            assertTrue(said.contains("Most stable: ") && said.contains(" decades of lr") && said.contains("Claims: "), said);
            String trialTable = text.substring(text.indexOf("<table class=\"trials\">"));
            trialTable = trialTable.substring(0, trialTable.indexOf("</table>"));
            assertEquals(20, trialTable.split("<tr><td class=\"l\">s-", -1).length - 1, "one sortable row per trial");
            assertTrue(trialTable.contains("<td data-v=\"1234\">1,234</td><td class=\"l\">opencl opencl:0:0 Some GPU</td>"),
                    "tokens/s and device");
            List<String> csv = Files.readAllLines(out.resolve("trials.csv"));
            assertEquals(21, csv.size());
            assertEquals("trial,optimizer,lr,seed,state,final_val_loss,diverged_at_step,attempts,state_bytes,tokens_per_s,"
                    + "device_name,error,executor_id", csv.get(0), "the table of runs analyze reads: one column per setting");
            assertTrue(csv.get(1).contains(",1234,\"opencl opencl:0:0 Some GPU\","), csv.get(1));
        }
        Findings f = Findings.of(handMade(), AnalysisSpec.defaults());
        Axis lr = f.axes().get(0);
        JFreeChart chart = Plots.lossAlong(lr, f.panels().get("lr"), true, "caption", Map.of("adamw", 0, "sgd", 1));
        XYPlot plot = chart.getXYPlot();
        assertEquals(2, plot.getDataset(0).getSeriesCount(), "a line with its band per optimizer");
        assertEquals(4, plot.getDataset(1).getSeriesCount(), "all- and some-seeds-diverged markers per optimizer");
        assertEquals(1, plot.getDataset(1).getItemCount(2), "sgd: one all-diverged LR, drawn in the strip");
        double strip = plot.getDataset(1).getYValue(2, 0);
        assertTrue(strip > 4.91 && strip < 5.5, strip + ": just above the finite points and their bands, not at the "
                + "worst case 9.01");
        assertEquals(1.0, plot.getDataset(0).getXValue(0, 2), 1e-12, "the best LR sits at 1 on the relative axis");
    }
}
