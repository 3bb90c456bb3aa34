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
import java.util.function.Function;
import org.optbench.sweep.analysis.Axis;
import org.optbench.sweep.analysis.ClaimResult;
import org.optbench.sweep.analysis.DeviceAgreement;
import org.optbench.sweep.analysis.Findings;
import org.optbench.sweep.analysis.Metric;
import org.optbench.sweep.analysis.OptimizerFindings;
import org.optbench.sweep.analysis.PairTest;
import org.optbench.sweep.analysis.Stability;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.TrialRecord;

/**
 * Writes a sweep's report into a directory: {@code report.html} (self-contained: the declared
 * claims and their verdicts first, the per-optimizer table, pairwise tests, device agreement,
 * warnings, one plot per analysed axis inline as PNG, a sortable table of every trial, the spec,
 * software and machine), every plot
 * as PNG and SVG ({@code loss_vs_<axis>}, {@code loss_vs_relative_lr}, {@code validation_curves},
 * {@code memory_vs_loss}), {@code trials.csv} (the table of runs {@code analyze} reads) and {@code trials.json} (every trial with its
 * settings and result) and {@code summary.json} (the findings, {@link FindingsJson}).
 */
public final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportWriter() {
    }

    /**
     * Writes the report of findings already computed from {@code trials} (a table of runs judged
     * under a spec's claims, say) under the title {@code sweepId}; returns the HTML file.
     */
    public static Path write(String sweepId, String spec, Findings f, List<TrialRecord> trials,
                             Function<String, List<MetricRow>> evals, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Integer> colours = new LinkedHashMap<>();
        f.summaries().forEach(s -> colours.put(s.optimizer(), colours.size()));
        StringBuilder plots = new StringBuilder();
        for (Axis axis : f.axes()) {
            List<OptimizerFindings> curves = f.panels().get(axis.name());
            String caption = caption(axis, curves);
            byte[] png = Plots.write(Plots.lossAlong(axis, curves, false, caption, colours), dir, axis.fileName());
            plots.append(figure("Final loss vs " + axis.name(), caption, png));
            if (axis.name().equals("lr") && axis.scale() == Axis.Scale.LOG) {
                byte[] rel = Plots.write(Plots.lossAlong(axis, curves, true, caption, colours), dir, "loss_vs_relative_lr");
                plots.append(figure("Final loss vs LR relative to each optimizer's best (Figure 1)", caption, rel));
            }
        }
        Map<String, List<MetricRow>> curves = new LinkedHashMap<>();
        Map<String, double[]> memory = new LinkedHashMap<>();
        for (OptimizerFindings s : f.summaries()) {
            if (!s.isEmpty() && !s.best().trialIds().isEmpty()) {
                curves.put(s.optimizer(), evals.apply(s.best().trialIds().get(0)));
                memory.put(s.optimizer(), new double[] {f.stateBytes().getOrDefault(s.optimizer(), Double.NaN), s.bestLoss()});
            }
        }
        plots.append(figure("Validation curves", "each optimizer's best run", Plots.write(Plots.validationCurves(curves,
                colours), dir, "validation_curves")));
        plots.append(figure("Memory vs loss", "optimizer state per parameter against the best loss",
                Plots.write(Plots.memoryVsLoss(memory, colours), dir, "memory_vs_loss")));
        writeTrials(trials, dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("summary.json").toFile(), FindingsJson.of(f));
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>optbench: ").append(Html.esc(sweepId))
                .append("</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;background:#fff}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
                        + "text-align:right}th{background:#f3f3f3}td.l{text-align:left}pre{background:#f7f7f7;padding:1em}"
                        + ".supported{color:#1a7f37}.refuted{color:#b42318}.inconclusive{color:#8a6d00}"
                        + "figure{margin:1.5em 0}figure img{width:100%;height:auto}figcaption{color:#444}"
                        + "table.trials th{cursor:pointer}"
                        + "table.trials th[data-order=up]::after{content:' \\25B2'}"
                        + "table.trials th[data-order=down]::after{content:' \\25BC'}</style></head><body>");
        html.append("<h1>Optimizer sweep ").append(Html.esc(sweepId)).append("</h1>");
        long done = trials.stream().filter(t -> t.status().isFinished()).count();
        html.append("<p>").append(Html.esc(Headline.of(f))).append(' ').append(done).append(" of ").append(trials.size())
                .append(" trials finished.</p>");
        if (!f.claims().isEmpty()) {
            html.append("<h2>Claims</h2>").append(claims(f));
        }
        html.append("<h2>Optimizers</h2>").append(table(f));
        html.append(pairs(f));
        html.append(devices(f.devices()));
        if (!f.warnings().isEmpty()) {
            html.append("<h2>Warnings</h2><ul>");
            f.warnings().forEach(w -> html.append("<li>").append(Html.esc(w)).append("</li>"));
            html.append("</ul>");
        }
        html.append(plots);
        html.append(TrialTable.html(trials));
        html.append("<h2>Spec</h2><pre>").append(Html.esc(spec)).append("</pre>");
        html.append("<h2>Software and machine</h2><p>optbench 0.1.0; Java ").append(Html.esc(System.getProperty("java.version")))
                .append("; ").append(Html.esc(System.getProperty("os.name"))).append(' ').append(Html.esc(System.getProperty("os.arch")))
                .append("; ").append(Runtime.getRuntime().availableProcessors()).append(" processors</p>");
        html.append("<p>Files: <a href=\"trials.csv\">trials.csv</a>, <a href=\"trials.json\">trials.json</a>, "
                + "<a href=\"summary.json\">summary.json</a>, and every plot as PNG and SVG.</p></body></html>");
        Path report = dir.resolve("report.html");
        Files.writeString(report, html);
        return report;
    }


    /** The caption of an axis's plot: what is held, what is tuned, how divergences are drawn. */
    static String caption(Axis axis, List<OptimizerFindings> curves) {
        StringBuilder s = new StringBuilder();
        for (OptimizerFindings f : curves) {
            String c = f.curve().conditions();
            if (!c.isEmpty()) {
                s.append(f.optimizer()).append(": ").append(c).append(". ");
            }
        }
        s.append("Mean over seeds with 95% bands; x/triangle above the curves: all/some seeds diverged.");
        return s.toString();
    }

    private static String figure(String title, String caption, byte[] png) {
        return "<figure><h2>" + Html.esc(title) + "</h2><img alt=\"" + Html.esc(title) + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\"><figcaption>" + Html.esc(caption) + "</figcaption></figure>";
    }

    private static String claims(Findings f) {
        StringBuilder t = new StringBuilder("<table><tr><th>claim</th><th>statement</th><th>verdict</th><th>a - b</th>"
                + "<th>95% interval</th><th>margin needed</th><th>test (seeds)</th><th>p</th><th>Holm p</th></tr>");
        for (ClaimResult r : f.claims()) {
            t.append("<tr><td class=\"l\">").append(Html.esc(r.claim().id())).append("</td><td class=\"l\">")
                    .append(Html.esc(r.claim().a().label() + " " + r.claim().type().key() + " " + r.claim().b().label() + " on "
                            + r.claim().metric().key() + (Double.isNaN(r.margin()) ? ""
                            : String.format(Locale.ROOT, " (margin %.4g)", r.margin()))))
                    .append("</td><td class=\"l ").append(r.verdict()).append("\">").append(r.verdict())
                    .append(r.reason().isEmpty() ? "" : " (" + Html.esc(r.reason()) + ")").append("</td><td>")
                    .append(f(r.estimate(), "%+.4f")).append("</td><td>").append(interval(r.ci())).append("</td><td>")
                    .append(f(r.marginNeeded(), "%.4f")).append("</td><td>").append(r.method())
                    .append(r.paired() ? " (" + r.nPairs() + " pairs)" : " (" + r.nA() + " / " + r.nB() + ")")
                    .append("</td><td>").append(f(r.p(), "%.3g")).append("</td><td>").append(f(r.pHolm(), "%.3g"))
                    .append("</td></tr>");
        }
        return t.append("</table><p>").append(Html.esc(FindingsText.seedsLine(f))).append(".</p>").toString();
    }

    private static String table(Findings f) {
        String unit = f.summaryWidthUnit();
        StringBuilder t = new StringBuilder("<table><tr><th>optimizer</th><th>trials</th><th>diverged</th>"
                + "<th>best loss (95% t over seeds)</th><th>best value</th><th>seeds at best</th>"
                + "<th>width within 1%</th><th>width within 5%</th><th>width within 0.02</th><th>width within 0.1</th>"
                + "<th>excess (imputed)</th><th>excess (finite only)</th><th>divergence below / above</th>"
                + "<th>state bytes / param</th></tr>");
        for (OptimizerFindings s : f.summaries()) {
            Findings.Counts c = f.counts().get(s.optimizer());
            t.append("<tr><td class=\"l\">").append(Html.esc(s.optimizer())).append("</td><td>").append(c.trials())
                    .append("</td><td>").append(c.diverged()).append("</td>");
            if (s.isEmpty()) {
                t.append("<td colspan=\"11\">no finished trial</td></tr>");
                continue;
            }
            Stability st = s.stability();
            t.append("<td>").append(f(s.bestLoss(), "%.4f")).append(' ').append(interval(s.intervals().get(Metric.BEST_LOSS)))
                    .append("</td><td>").append(Html.esc(s.axis().name() + " " + s.best().value())).append("</td><td>")
                    .append(s.best().losses().length).append("</td>");
            for (Metric m : List.of(Metric.WIDTH_1PCT, Metric.WIDTH_5PCT, Metric.WIDTH_002, Metric.WIDTH_01)) {
                t.append("<td>").append(st.censored().get(m) ? "&ge; " : "").append(f(st.widths().get(m), "%.2f"))
                        .append(' ').append(interval(s.intervals().get(m))).append("</td>");
            }
            t.append("<td>").append(f(st.excess(), "%.4f")).append("</td><td>").append(f(st.excessFinite(), "%.4f"))
                    .append(st.excludedPoints() > 0 ? " (" + st.excludedPoints() + " all-diverged points left out)" : "")
                    .append("</td><td>").append(f(st.divergeBelow(), "%.3g")).append(" / ").append(f(st.divergeAbove(), "%.3g"))
                    .append("</td><td>").append(f(f.stateBytes().getOrDefault(s.optimizer(), Double.NaN), "%.2f"))
                    .append("</td></tr>");
        }
        t.append("</table><p>Along ").append(Html.esc(f.summaryAxis() == null ? "no swept setting" : f.summaryAxis()))
                .append(". Loss: mean final validation loss over seeds; a diverged run counts as the worst case (")
                .append(f.worstCaseText()).append(") where noted as imputed. Widths in ").append(Html.esc(unit))
                .append(", interpolated between grid points; &ge; marks a region that reaches the grid's end. Excess: mean "
                        + "loss above the best within one decade (a log axis) or over the grid. Brackets: 95% intervals over "
                        + "seeds, the t-interval for the best loss and the pooled residual bootstrap for widths.</p>");
        return t.toString();
    }

    private static String pairs(Findings f) {
        if (f.pairs().stream().allMatch(p -> Double.isNaN(p.p()))) {
            return "";
        }
        StringBuilder t = new StringBuilder("<h2>Do optimizers differ? (best points, over seeds)</h2><table><tr><th>a</th>"
                + "<th>b</th><th>a - b</th><th>test</th><th>p</th><th>Holm-adjusted p</th><th>TOST p").append(
                f.analysis().margin().isNone() ? "" : " (margin " + Html.esc(f.analysis().margin().text()) + ")")
                .append("</th></tr>");
        for (PairTest p : f.pairs()) {
            t.append("<tr><td class=\"l\">").append(Html.esc(p.a())).append("</td><td class=\"l\">").append(Html.esc(p.b()))
                    .append("</td><td>").append(f(p.difference(), "%+.4f")).append("</td><td>")
                    .append(p.paired() ? "paired t (" + p.nPairs() + " seeds)" : "Welch").append("</td><td>").append(f(p.p(), "%.3g"))
                    .append("</td><td>").append(f(p.pHolm(), "%.3g")).append("</td><td>").append(f(p.pTost(), "%.3g"))
                    .append("</td></tr>");
        }
        return t.append("</table><p>Holm's correction is across all ").append(f.pairs().size()).append(" pairs; a large p "
                + "is not evidence of equivalence, which the TOST column (with a declared analysis.margin) tests.</p>")
                .toString();
    }

    private static String devices(DeviceAgreement d) {
        if (d == null) {
            return "";
        }
        StringBuilder t = new StringBuilder("<h2>Devices</h2><table><tr><th>device</th><th>tokens/s</th>"
                + "<th>pairs with ").append(Html.esc(d.reference())).append("</th><th>max |final loss difference|</th>"
                + "<th>over tolerance ").append(f(d.tolerance(), "%.3g")).append("</th></tr>");
        d.tokensPerS().forEach((device, speed) -> {
            DeviceAgreement.Comparison c = d.comparisons().stream().filter(x -> x.device().equals(device)).findFirst()
                    .orElse(null);
            t.append("<tr><td class=\"l\">").append(Html.esc(device)).append("</td><td>").append(f(speed, "%.0f")).append("</td><td>")
                    .append(c == null ? "reference" : c.pairs()).append("</td><td>")
                    .append(c == null ? "" : f(c.maxAbsDiff(), "%.3g")).append("</td><td class=\"l\">")
                    .append(c == null ? "" : Html.esc(c.disagreeing().isEmpty() ? "none" : String.join("; ", c.disagreeing())))
                    .append("</td></tr>");
        });
        return t.append("</table>").toString();
    }

    private static String interval(double[] ci) {
        return ci == null || Double.isNaN(ci[0]) ? "" : String.format(Locale.ROOT, "[%.4g, %.4g]", ci[0], ci[1]);
    }

    private static void writeTrials(List<TrialRecord> trials, Path dir) throws IOException {
        ArrayNode json = JSON.createArrayNode();
        for (TrialRecord t : trials) {
            JsonNode result = t.result() == null ? null : JSON.readTree(t.result());
            ObjectNode n = json.addObject();
            n.put("trial", t.id());
            n.put("optimizer", t.optimizer());
            n.set("params", JSON.readTree(t.point().storeText()));
            n.put("seed", t.seed());
            n.put("status", t.status().label());
            n.put("final_val_loss", t.finalValLoss());
            n.put("diverged_at", t.divergedAt());
            n.put("error", t.error());
            n.set("result", result);
        }
        Files.writeString(dir.resolve("trials.csv"), RunTable.csv(trials));
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("trials.json").toFile(), json);
    }

    private static String f(double x, String format) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, format, x);
    }
}
