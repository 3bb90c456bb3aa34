package org.optbench.sweep.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.optbench.sweep.analysis.Findings;
import org.optbench.sweep.analysis.Metric;
import org.optbench.sweep.analysis.OptimizerFindings;

/**
 * A sweep's result in one paragraph, the same under the report's title and under the terminal's
 * table: the best optimizer and its loss, the most stable one (or those that cannot be told
 * apart), how the claims came out, and the first warning.
 */
public final class Headline {

    private Headline() {
    }

    /**
     * The result in words: the best optimizer and its loss, the most stable one (the widest region
     * within 1% of its best along the main axis), how the claims came out, and the first warning.
     */
    public static String of(Findings f) {
        OptimizerFindings best = f.summaries().stream().filter(s -> !s.isEmpty())
                .min(java.util.Comparator.comparingDouble(OptimizerFindings::bestLoss)).orElse(null);
        if (best == null) {
            return "No trial has finished yet.";
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "Best: %s with a final validation loss of %.4f at "
                + "%s %s.", best.optimizer(), best.bestLoss(), best.axis().name(), best.best().value()));
        s.append(stability(f));
        if (!f.claims().isEmpty()) {
            Map<String, Long> verdicts = new LinkedHashMap<>();
            f.claims().forEach(c -> verdicts.merge(c.verdict(), 1L, Long::sum));
            s.append(" Claims: ");
            verdicts.forEach((v, n) -> s.append(n).append(' ').append(v).append(", "));
            s.setLength(s.length() - 2);
            s.append('.');
        }
        if (!f.warnings().isEmpty()) {
            s.append(" Warning: ").append(f.warnings().get(0)).append(f.warnings().size() > 1
                    ? " (and " + (f.warnings().size() - 1) + " more)." : ".");
        }
        return s.toString();
    }

    /**
     * Who is most stable along the primary axis by width within 1% of the best: one optimizer only
     * when its 95% interval lies above the next one's (and the next is not censored), otherwise
     * those whose intervals overlap the widest, named as indistinguishable.
     */
    private static String stability(Findings f) {
        String axis = f.summaryAxis();
        List<OptimizerFindings> ranked = f.summaries().stream().filter(o -> !o.isEmpty() && o.axis().name().equals(axis)
                        && !Double.isNaN(o.stability().widths().get(Metric.WIDTH_1PCT)))
                .sorted(java.util.Comparator.comparingDouble(o -> -o.stability().widths().get(Metric.WIDTH_1PCT))).toList();
        if (ranked.size() < 2) {
            return "";
        }
        OptimizerFindings top = ranked.get(0);
        double[] topCi = top.intervals().get(Metric.WIDTH_1PCT);
        if (Double.isNaN(topCi[0])) {
            return String.format(Locale.ROOT, " Widest region within 1%% of its best loss: %s, %s%.2f %s of %s (no seeds "
                    + "to tell it from the others).", top.optimizer(), top.stability().censored().get(Metric.WIDTH_1PCT)
                    ? ">=" : "", top.stability().widths().get(Metric.WIDTH_1PCT), top.axis().widthUnit(), axis);
        }
        List<String> tied = new java.util.ArrayList<>(List.of(top.optimizer()));
        for (OptimizerFindings o : ranked.subList(1, ranked.size())) {
            double[] ci = o.intervals().get(Metric.WIDTH_1PCT);
            if (Double.isNaN(ci[1]) || ci[1] >= topCi[0] || o.stability().censored().get(Metric.WIDTH_1PCT)) {
                tied.add(o.optimizer());
            }
        }
        if (tied.size() == 1) {
            return String.format(Locale.ROOT, " Most stable: %s, within 1%% of its best loss over %s%.2f %s of %s, its "
                    + "interval above every other's.", top.optimizer(), top.stability().censored().get(Metric.WIDTH_1PCT)
                    ? "at least " : "", top.stability().widths().get(Metric.WIDTH_1PCT), top.axis().widthUnit(), axis);
        }
        String names = String.join(", ", tied.subList(0, tied.size() - 1)) + " and " + tied.get(tied.size() - 1);
        return " " + names + " are indistinguishable in stability (intervals of width within 1% overlap).";
    }
}
