package org.optbench.sweep.report;

import java.util.Locale;
import org.optbench.sweep.analysis.Axis;
import org.optbench.sweep.analysis.ClaimResult;
import org.optbench.sweep.analysis.DeviceAgreement;
import org.optbench.sweep.analysis.Findings;
import org.optbench.sweep.analysis.Metric;
import org.optbench.sweep.analysis.OptimizerFindings;
import org.optbench.sweep.analysis.PairTest;
import org.optbench.sweep.analysis.Stability;

/**
 * The findings as plain text for a terminal: the claims with their verdicts, one row per
 * optimizer along the primary axis, the pairwise tests when there are seeds, the agreement of
 * devices, the warnings, and the result in one paragraph ({@link Headline}, as the report has it).
 */
public final class FindingsText {

    private FindingsText() {
    }

    public static String of(Findings f) {
        StringBuilder t = new StringBuilder();
        if (!f.claims().isEmpty()) {
            t.append(claims(f)).append('\n');
        }
        String axis = f.summaryAxis() == null ? "lr" : f.summaryAxis();
        t.append(String.format(Locale.ROOT, "%-22s %6s %8s %10s %12s %10s %10s %10s %10s %10s %9s%n", "optimizer", "trials",
                "diverged", "best loss", "best " + shorten(axis, 5), "width 1%", "width 5%", "width 0.02", "width 0.1",
                "excess", "B/param"));
        for (OptimizerFindings s : f.summaries()) {
            Findings.Counts c = f.counts().get(s.optimizer());
            if (s.isEmpty()) {
                t.append(String.format(Locale.ROOT, "%-22s %6d %8d  (no finished trial)%n", s.optimizer(), c.trials(),
                        c.diverged()));
                continue;
            }
            Stability st = s.stability();
            t.append(String.format(Locale.ROOT, "%-22s %6d %8d %10.4f %12s %10s %10s %10s %10s %10s %9s%n", s.optimizer(),
                    c.trials(), c.diverged(), s.bestLoss(), s.axis().name().equals(axis) ? s.best().value()
                            : s.axis().name() + "=" + s.best().value(), width(st, Metric.WIDTH_1PCT),
                    width(st, Metric.WIDTH_5PCT), width(st, Metric.WIDTH_002), width(st, Metric.WIDTH_01),
                    num(st.excess(), "%.4f"), num(f.stateBytes().getOrDefault(s.optimizer(), Double.NaN), "%.2f")));
            if (s.best().losses().length > 1) {
                double[] ci = s.bestInterval();
                t.append(String.format(Locale.ROOT, "%-22s %d seeds at the best point: mean %.4f, 95%% CI [%.4f, %.4f]%n",
                        "", s.best().losses().length, s.bestLoss(), ci[0], ci[1]));
            }
        }
        t.append(String.format(Locale.ROOT, "widths in %s of %s around the best (>= : the region reaches the grid's "
                + "end; -: undefined); excess: mean loss above the best within one decade, divergences at %.4f%n",
                f.summaryWidthUnit(), axis, f.worst()));
        java.util.Map<String, Axis> ownAxes = new java.util.LinkedHashMap<>();
        f.summaries().stream().filter(s -> !s.isEmpty() && !s.axis().name().equals(axis))
                .forEach(s -> ownAxes.putIfAbsent(s.axis().name(), s.axis()));
        ownAxes.forEach((name, own) -> t.append(String.format(Locale.ROOT,
                "rows marked %s=...: that optimizer's %s was fixed, so its curve runs along %s (widths in %s)%n", name,
                axis, name, own.widthUnit())));
        boolean anyPair = f.pairs().stream().anyMatch(p -> !Double.isNaN(p.p()));
        if (anyPair) {
            t.append("\nbest points compared over seeds (paired t on shared seeds, else Welch; Holm-corrected across ")
                    .append(f.pairs().size()).append(" pairs").append(f.analysis().margin().isNone() ? ""
                            : "; TOST equivalence within the margin " + f.analysis().margin().text()).append("):\n");
            for (PairTest p : f.pairs()) {
                if (Double.isNaN(p.p())) {
                    continue;
                }
                t.append(String.format(Locale.ROOT, "  %-18s vs %-18s difference %+.4f  %-11s p %.3g  Holm p %.3g%s%n",
                        p.a(), p.b(), p.difference(), p.paired() ? "paired(" + p.nPairs() + ")" : "welch", p.p(), p.pHolm(),
                        Double.isNaN(p.pTost()) ? "" : String.format(Locale.ROOT, "  TOST p %.3g", p.pTost())));
            }
        }
        DeviceAgreement d = f.devices();
        if (d != null) {
            t.append("\ndevices: ");
            d.tokensPerS().forEach((k, v) -> t.append(String.format(Locale.ROOT, "%s %.0f tokens/s; ", k, v)));
            t.append('\n');
            for (DeviceAgreement.Comparison c : d.comparisons()) {
                t.append(String.format(Locale.ROOT, "  %s vs %s: %d trial pairs, max |final loss difference| %.3g, %d over "
                        + "the tolerance %.3g%n", c.device(), d.reference(), c.pairs(), c.maxAbsDiff(),
                        c.disagreeing().size(), d.tolerance()));
            }
        }
        for (String w : f.warnings()) {
            t.append("warning: ").append(w).append('\n');
        }
        t.append('\n').append(Headline.of(f)).append('\n');
        return t.toString();
    }

    /**
     * The claims table: id, verdict, estimate, 95% interval, Holm-adjusted p, the margin an
     * equivalence needed, how it was tested, and why a verdict is inconclusive; then which seeds
     * chose and which judged.
     */
    public static String claims(Findings f) {
        int idWidth = Math.max(5, f.claims().stream().mapToInt(r -> r.claim().id().length()).max().orElse(5));
        String format = "%-" + idWidth + "s %-12s %10s %22s %9s %8s %-14s %s%n";
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, format, "claim", "verdict", "a - b", "95% interval",
                "p (Holm)", "needs", "test", "claim in full"));
        for (ClaimResult r : f.claims()) {
            String what = r.claim().aText() + " " + r.claim().type().key() + " " + r.claim().bText() + " ("
                    + r.claim().metric().key() + (Double.isNaN(r.margin()) ? "" : String.format(Locale.ROOT, ", margin %.4g",
                    r.margin())) + ")";
            String test = r.method().equals("none") ? "-" : r.paired() ? "paired " + r.nPairs()
                    : r.method() + " " + r.nA() + "/" + r.nB();
            t.append(String.format(Locale.ROOT, format, r.claim().id(), r.verdict(), num(r.estimate(), "%+.4f"),
                    Double.isNaN(r.ci()[0]) ? "-" : String.format(Locale.ROOT, "[%+.4f, %+.4f]", r.ci()[0], r.ci()[1]),
                    num(r.pHolm(), "%.3g"), num(r.marginNeeded(), "%.4f"), test,
                    what + (r.reason().isEmpty() ? "" : "  (" + r.reason() + ")")));
        }
        t.append(seedsLine(f)).append('\n');
        return t.toString();
    }

    /** Which seeds chose each arm's best setting and which judged the claims. */
    public static String seedsLine(Findings f) {
        java.util.Set<Long> select = f.analysis().selectOn();
        String judged = f.seeds().stream().filter(s -> !select.contains(s)).map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(", "));
        return (select.isEmpty() ? "every seed (" + judged + ") chose each arm's best setting and judged the claims"
                : "seeds " + select.stream().sorted().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                        + " chose each arm's best setting; seeds " + judged + " judged the claims")
                + String.format(Locale.ROOT, " (min_seeds %d, %s, margin %s; needs: the smallest margin an equivalence "
                        + "would be supported at)", f.analysis().minSeeds(), f.analysis().holm() ? "Holm across claims"
                        : "no correction", f.analysis().margin().text());
    }

    /**
     * A width, {@code >=} when its region reaches the grid's end; {@code -} when undefined: a
     * region that reaches the end and rounds to no width says nothing (the best on an edge).
     */
    private static String width(Stability st, Metric m) {
        double v = st.widths().get(m);
        boolean censored = st.censored().get(m);
        if (Double.isNaN(v) || censored && v < 0.005) {
            return "-";
        }
        return (censored ? ">=" : "") + String.format(Locale.ROOT, "%.2f", v);
    }

    private static String num(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static String shorten(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }
}
