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
import org.optbench.sweep.analysis.OptimizerSummary;
import org.optbench.sweep.analysis.SweepAnalysis;
import org.optbench.sweep.report.Plots;
import org.optbench.sweep.report.ReportWriter;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.TrialOutcome;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;

/** The analysis on a hand-made set of results, and the report built from a store holding them. */
class AnalysisAndReportTest {

    @TempDir
    Path dir;

    private static TrialRecord trial(int i, String opt, double lr, long seed, TrialStatus status, Double loss) {
        return new TrialRecord("t" + i, "s", i, opt + lr + seed, opt, Map.of("lr", Double.toString(lr)), seed, status, null,
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

    @Test
    void theModelComesFromTheResultsEvenWhenTheyPredateTheParameterCount() {
        List<TrialRecord> trials = new ArrayList<>();
        String config = "{\"status\":\"completed\",\"config\":{\"vocab\":64,\"d_model\":16,\"layers\":1,\"heads\":2,"
                + "\"seq_len\":8%s}}";
        for (TrialRecord t : handMade()) {
            trials.add(new TrialRecord(t.id(), t.sweepId(), t.index(), t.key(), t.optimizer(), t.params(), t.seed(), t.status(),
                    null, 1, null, null, null, t.finalValLoss(), t.divergedAt(), 800L,
                    String.format(config, t.index() == 0 ? "" : ",\"parameters\":100"), null, null));
        }
        long counted = new org.optbench.model.ParameterLayout(org.optbench.model.ModelConfig.of(64, 16, 1, 2, 8)).totalCount();
        assertEquals(64, SweepAnalysis.model(trials).vocab());
        assertEquals(800.0 / counted, SweepAnalysis.summarize(trials).get(0).stateBytesPerParam(), 1e-12,
                "an older result without parameters: counted from its shape");
        assertEquals(null, SweepAnalysis.model(handMade()), "no result yet: no model");
    }

    @Test
    void bestLossStabilityAndSeedStatisticsFollowTheirDefinitions() {
        List<OptimizerSummary> s = SweepAnalysis.summarize(handMade(), 64, 100);
        OptimizerSummary adam = s.get(0);
        OptimizerSummary sgd = s.get(1);
        assertEquals(4.00, adam.bestLoss(), 1e-12);
        assertEquals(1e-3, adam.bestLr(), 1e-15);
        // within 0.02 of 4.00: 1e-3 and 3.16e-3 -> 0.5 decades; within 0.1: 3.16e-4 .. 1e-2 -> 1.5 decades.
        assertEquals(Math.log10(3.16), adam.width002(), 1e-9);
        assertEquals(Math.log10(1e-2 / 3.16e-4), adam.width01(), 1e-9);
        // one decade around 1e-3: 1e-4 .. 1e-2, excess (0.30 + 0.05 + 0 + 0.01 + 0.09) / 5.
        assertEquals((0.30 + 0.05 + 0.0 + 0.01 + 0.09) / 5, adam.meanExcess(), 1e-9);
        assertEquals(0.0, sgd.width01(), 1e-12);
        assertEquals(4.91, SweepAnalysis.worstCase(handMade(), 64), 1e-12, "the largest finite loss beats ln 64 = 4.16");
        assertEquals(4.91, sgd.curve().get(4).loss(), 1e-12, "diverged points count as the worst case");
        assertEquals(2, sgd.diverged());
        assertEquals(4.00, adam.seedMean(), 1e-12);
        assertEquals(Math.sqrt(2) * 0.01, adam.seedStd(), 1e-12);
        assertEquals(12.706204736 * adam.seedStd() / Math.sqrt(2), adam.ci95(), 1e-6, "t(0.975, 1 dof)");
        assertEquals(8.0, adam.stateBytesPerParam(), 1e-12);
        assertTrue(SweepAnalysis.pValue(adam, sgd) < 0.05, "4.00 vs 4.40 with 0.01 spread differ");
    }

    @Test
    void reportWritesEveryFileAndThePlotsHoldTheSeries() throws Exception {
        try (TrialStore store = TrialStore.sqlite(dir.resolve("db.sqlite"))) {
            store.createSweep("s", "s", "name: s\n");
            List<TrialRecord> made = handMade();
            List<TrialSpec> specs = new ArrayList<>();
            for (TrialRecord t : made) {
                specs.add(new TrialSpec(t.index(), t.optimizer(), t.params(), t.seed()));
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
            Path html = ReportWriter.write(store, "s", out);
            for (String f : new String[] {"report.html", "loss_vs_lr.png", "loss_vs_lr.svg", "loss_vs_relative_lr.png",
                "validation_curves.svg", "memory_vs_loss.png", "trials.csv", "trials.json", "summary.json"}) {
                assertTrue(Files.size(out.resolve(f)) > 0, f);
            }
            String text = Files.readString(html);
            assertTrue(text.contains("data:image/png;base64,") && text.contains("<td style=\"text-align:left\">sgd</td>"));
            List<String> csv = Files.readAllLines(out.resolve("trials.csv"));
            assertEquals(21, csv.size());
            assertTrue(csv.get(0).endsWith(",device,tokens_per_s") && csv.get(1).endsWith(",\"opencl opencl:0:0 Some GPU\",1234"),
                    csv.get(0) + "\n" + csv.get(1));
        }
        List<OptimizerSummary> s = SweepAnalysis.summarize(handMade(), 64, 100);
        JFreeChart chart = Plots.lossVsLr(s, true);
        XYPlot plot = chart.getXYPlot();
        assertEquals(4, plot.getDataset().getSeriesCount(), "a line and a diverged series per optimizer");
        assertEquals("sgd (diverged)", plot.getDataset().getSeriesKey(3));
        assertEquals(1, plot.getDataset().getItemCount(3), "one all-diverged LR");
        assertEquals(1.0, plot.getDataset().getXValue(0, 2), 1e-12, "the best LR sits at 1 on the relative axis");
    }
}
