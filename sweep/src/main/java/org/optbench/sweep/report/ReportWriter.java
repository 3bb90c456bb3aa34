package org.optbench.sweep.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.optbench.sweep.analysis.OptimizerSummary;
import org.optbench.sweep.analysis.SweepAnalysis;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStore;

/**
 * Writes a sweep's report into a directory: {@code report.html} (self-contained: plots inline as
 * PNG, the per-optimizer table, pairwise significance when there are seeds, the spec, software and
 * machine), the plots as PNG and SVG, {@code trials.csv} and {@code trials.json} (every trial with
 * its settings and result) and {@code summary.json} (the analysis).
 */
public final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportWriter() {
    }

    /** Writes the report of a stored sweep into {@code dir}; returns the HTML file. */
    public static Path write(TrialStore store, String sweepId, Path dir) throws IOException {
        return write(sweepId, store.sweepSpec(sweepId), store.trials(sweepId), trial -> store.metrics(trial, "eval"), dir);
    }

    /**
     * Writes the report of a sweep given as data (its spec text, its trials, and a lookup of a
     * trial's evaluations), e.g. results fetched from a server; returns the HTML file.
     */
    public static Path write(String sweepId, String spec, List<TrialRecord> trials,
                             java.util.function.Function<String, List<MetricRow>> evals, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<OptimizerSummary> summaries = SweepAnalysis.summarize(trials);
        Map<String, List<MetricRow>> curves = new LinkedHashMap<>();
        for (OptimizerSummary s : summaries) {
            curves.put(s.optimizer(), evals.apply(s.bestTrialId()));
        }
        byte[] abs = Plots.write(Plots.lossVsLr(summaries, false), dir, "loss_vs_lr");
        byte[] rel = Plots.write(Plots.lossVsLr(summaries, true), dir, "loss_vs_relative_lr");
        byte[] val = Plots.write(Plots.validationCurves(curves), dir, "validation_curves");
        byte[] mem = Plots.write(Plots.memoryVsLoss(summaries), dir, "memory_vs_loss");
        writeTrials(trials, dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("summary.json").toFile(), summaryJson(summaries));
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>optbench: ").append(esc(sweepId))
                .append("</title><style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
                        + "th{background:#f3f3f3}pre{background:#f7f7f7;padding:1em}</style></head><body>");
        html.append("<h1>Optimizer sweep ").append(esc(sweepId)).append("</h1>");
        long done = trials.stream().filter(t -> t.status().isFinished()).count();
        html.append("<p>").append(done).append(" of ").append(trials.size()).append(" trials finished. ")
                .append("Loss: mean final validation loss over seeds; a diverged or failed run counts as the worst case ")
                .append(String.format(Locale.ROOT, "(%.4f).", SweepAnalysis.worstCase(trials)))
                .append(" Stability: width in decades of LR within 0.02 / 0.1 nats of the best, and the mean excess loss")
                .append(" within one decade of the best LR.</p>");
        html.append(table(summaries));
        html.append(significance(summaries));
        for (Object[] plot : new Object[][] {{"Loss vs learning rate", abs}, {"Loss vs learning rate / best (Figure 1)", rel},
            {"Validation curves", val}, {"Memory vs loss", mem}}) {
            html.append("<h2>").append(plot[0]).append("</h2><img alt=\"").append(plot[0]).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString((byte[]) plot[1])).append("\">");
        }
        html.append("<h2>Spec</h2><pre>").append(esc(spec)).append("</pre>");
        html.append("<h2>Software and machine</h2><p>optbench 0.1.0; Java ").append(esc(System.getProperty("java.version")))
                .append("; ").append(esc(System.getProperty("os.name"))).append(' ').append(esc(System.getProperty("os.arch")))
                .append("; ").append(Runtime.getRuntime().availableProcessors()).append(" processors</p>");
        html.append("<p>Files: trials.csv, trials.json, summary.json, and every plot as PNG and SVG.</p></body></html>");
        Path report = dir.resolve("report.html");
        Files.writeString(report, html);
        return report;
    }

    private static String table(List<OptimizerSummary> summaries) {
        StringBuilder t = new StringBuilder("<table><tr><th>optimizer</th><th>trials</th><th>diverged</th><th>best loss</th>"
                + "<th>best LR</th><th>width 0.02</th><th>width 0.1</th><th>mean excess +-1 dec</th><th>seed mean +- 95% CI</th>"
                + "<th>state B/param</th></tr>");
        for (OptimizerSummary s : summaries) {
            t.append("<tr><td style=\"text-align:left\">").append(esc(s.optimizer())).append("</td><td>").append(s.trials())
                    .append("</td><td>").append(s.diverged()).append("</td><td>").append(f(s.bestLoss())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.3g", s.bestLr())).append("</td><td>").append(f2(s.width002()))
                    .append("</td><td>").append(f2(s.width01())).append("</td><td>").append(f(s.meanExcess())).append("</td><td>")
                    .append(Double.isNaN(s.ci95()) ? "-" : f(s.seedMean()) + " +- " + f(s.ci95())).append("</td><td>")
                    .append(f2(s.stateBytesPerParam())).append("</td></tr>");
        }
        return t.append("</table>").toString();
    }

    private static String significance(List<OptimizerSummary> summaries) {
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < summaries.size(); i++) {
            for (int j = i + 1; j < summaries.size(); j++) {
                double p = SweepAnalysis.pValue(summaries.get(i), summaries.get(j));
                if (!Double.isNaN(p)) {
                    t.append("<li>").append(esc(summaries.get(i).optimizer())).append(" vs ").append(esc(summaries.get(j).optimizer()))
                            .append(String.format(Locale.ROOT, ": Welch p = %.3g%s</li>", p, p < 0.05 ? " (differ at 5%)" : ""));
                }
            }
        }
        return t.length() == 0 ? "" : "<h2>Do optimizers differ? (best LR, over seeds)</h2><ul>" + t + "</ul>";
    }

    private static void writeTrials(List<TrialRecord> trials, Path dir) throws IOException {
        StringBuilder csv = new StringBuilder(
                "trial,optimizer,params,seed,status,final_val_loss,diverged_at,state_bytes,attempts,device,tokens_per_s\n");
        ArrayNode json = JSON.createArrayNode();
        for (TrialRecord t : trials) {
            csv.append(t.id()).append(',').append(t.optimizer()).append(",\"").append(JSON.writeValueAsString(t.params())
                    .replace("\"", "\"\"")).append("\",").append(t.seed()).append(',').append(t.status().label()).append(',')
                    .append(t.finalValLoss() == null ? "" : t.finalValLoss()).append(',')
                    .append(t.divergedAt() == null ? "" : t.divergedAt()).append(',')
                    .append(t.stateBytes() == null ? "" : t.stateBytes()).append(',').append(t.attempts()).append(',');
            JsonNode result = t.result() == null ? null : JSON.readTree(t.result());
            String device = result == null ? "" : result.path("device").asText("");
            csv.append('"').append(device.replace("\"", "\"\"")).append("\",")
                    .append(result == null || !result.has("tokens_per_s") ? "" : result.get("tokens_per_s").asText())
                    .append('\n');
            ObjectNode n = json.addObject();
            n.put("trial", t.id());
            n.put("optimizer", t.optimizer());
            n.set("params", JSON.valueToTree(t.params()));
            n.put("seed", t.seed());
            n.put("status", t.status().label());
            n.put("final_val_loss", t.finalValLoss());
            n.put("diverged_at", t.divergedAt());
            n.put("error", t.error());
            n.set("result", result);
        }
        Files.writeString(dir.resolve("trials.csv"), csv);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("trials.json").toFile(), json);
    }

    private static ArrayNode summaryJson(List<OptimizerSummary> summaries) {
        ArrayNode out = JSON.createArrayNode();
        for (OptimizerSummary s : summaries) {
            ObjectNode n = out.addObject();
            n.put("optimizer", s.optimizer());
            n.put("trials", s.trials());
            n.put("diverged", s.diverged());
            n.put("best_loss", s.bestLoss());
            n.put("best_lr", s.bestLr());
            n.put("width_0.02_decades", s.width002());
            n.put("width_0.1_decades", s.width01());
            n.put("mean_excess_1_decade", s.meanExcess());
            n.put("seed_mean", s.seedMean());
            n.put("seed_std", s.seedStd());
            n.put("ci95", s.ci95());
            n.put("state_bytes_per_param", s.stateBytesPerParam());
            ArrayNode curve = n.putArray("curve");
            s.curve().forEach(p -> curve.addObject().put("lr", p.lr()).put("loss", p.loss()).put("diverged", p.diverged()));
        }
        return out;
    }

    private static String f(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.4f", x);
    }

    private static String f2(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.2f", x);
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
