package org.optbench.sweep.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.optbench.sweep.analysis.AnalysisSpec;
import org.optbench.sweep.analysis.Axis;
import org.optbench.sweep.analysis.ClaimResult;
import org.optbench.sweep.analysis.ClaimSpec;
import org.optbench.sweep.analysis.CurvePoint;
import org.optbench.sweep.analysis.DeviceAgreement;
import org.optbench.sweep.analysis.Findings;
import org.optbench.sweep.analysis.Metric;
import org.optbench.sweep.analysis.OptimizerFindings;
import org.optbench.sweep.analysis.PairTest;
import org.optbench.sweep.analysis.Stability;

/**
 * The findings as {@code summary.json}: {@code axes} (name, scale, values), {@code worst_case_loss},
 * {@code optimizers} (each along the primary axis), {@code panels} (each axis with its curves),
 * {@code pairwise}, {@code analysis} (the margin policy, min_seeds, correction, and the seeds that
 * chose and judged), {@code claims} ({@code id}, {@code type}, {@code a}, {@code b}, {@code metric},
 * {@code margin}, {@code verdict}, {@code estimate}, {@code ci}, {@code ci90}, {@code margin_needed},
 * {@code method}, {@code paired}, {@code n_a}, {@code n_b}, {@code n_pairs}, {@code p},
 * {@code p_holm}, {@code reason}), {@code devices} and {@code warnings}. Undefined numbers are null.
 */
public final class FindingsJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FindingsJson() {
    }

    public static ObjectNode of(Findings f) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode axes = root.putArray("axes");
        for (Axis a : f.axes()) {
            ObjectNode n = axes.addObject().put("name", a.name()).put("scale", a.scale().name().toLowerCase(java.util.Locale.ROOT));
            ArrayNode values = n.putArray("values");
            a.values().forEach(v -> values.add(v.text()));
        }
        root.put("primary_axis", f.primaryAxis());
        num(root, "worst_case_loss", f.worst());
        ArrayNode opts = root.putArray("optimizers");
        for (OptimizerFindings s : f.summaries()) {
            ObjectNode n = curve(opts.addObject(), s);
            Findings.Counts c = f.counts().get(s.optimizer());
            n.put("trials", c.trials()).put("diverged", c.diverged()).put("failed", c.failed()).put("stopped", c.stopped());
            num(n, "state_bytes_per_param", f.stateBytes().getOrDefault(s.optimizer(), Double.NaN));
        }
        ObjectNode panels = root.putObject("panels");
        f.panels().forEach((axis, curves) -> {
            ArrayNode list = panels.putArray(axis);
            curves.forEach(c -> curve(list.addObject(), c));
        });
        ArrayNode pairs = root.putArray("pairwise");
        for (PairTest p : f.pairs()) {
            ObjectNode n = pairs.addObject().put("a", p.a()).put("b", p.b());
            num(n, "difference", p.difference());
            n.put("method", p.paired() ? "paired_t" : "welch").put("paired", p.paired()).put("n_pairs", p.nPairs());
            num(n, "p", p.p());
            num(n, "p_holm", p.pHolm());
            num(n, "p_tost", p.pTost());
            num(n, "margin", p.margin());
        }
        AnalysisSpec spec = f.analysis();
        ObjectNode analysis = root.putObject("analysis").put("margin", spec.margin().text())
                .put("min_seeds", spec.minSeeds()).put("correction", spec.holm() ? "holm" : "none");
        spec.selectOn().stream().sorted().forEach(analysis.putArray("select_on")::add);
        f.seeds().stream().filter(s -> spec.selectOn().isEmpty() || !spec.selectOn().contains(s))
                .forEach(analysis.putArray("judged_on")::add);
        ArrayNode claims = root.putArray("claims");
        for (ClaimResult r : f.claims()) {
            ObjectNode n = claims.addObject().put("id", r.claim().id()).put("type", r.claim().type().key())
                    .put("a", r.claim().aText()).put("b", r.claim().bText()).put("metric", r.claim().metric().key());
            num(n, "margin", r.margin());
            n.put("verdict", r.verdict());
            num(n, "estimate", r.estimate());
            pair(n, "ci", r.ci());
            if (r.claim().type() == ClaimSpec.Type.EQUIVALENT) {
                pair(n, "ci90", r.ci90());
                num(n, "margin_needed", r.marginNeeded());
            }
            n.put("method", r.method()).put("paired", r.paired()).put("n_a", r.nA()).put("n_b", r.nB())
                    .put("n_pairs", r.nPairs());
            num(n, "p", r.p());
            num(n, "p_holm", r.pHolm());
            n.put("reason", r.reason());
            n.put("a_trials", r.claim().a().label()).put("b_trials", r.claim().b().label());
        }
        DeviceAgreement d = f.devices();
        if (d != null) {
            ObjectNode n = root.putObject("devices").put("reference", d.reference());
            num(n, "tolerance", d.tolerance());
            ObjectNode speed = n.putObject("tokens_per_s");
            d.tokensPerS().forEach((k, v) -> num(speed, k, v));
            ArrayNode cmp = n.putArray("agreement");
            for (DeviceAgreement.Comparison c : d.comparisons()) {
                ObjectNode one = cmp.addObject().put("device", c.device()).put("pairs", c.pairs());
                num(one, "max_abs_diff", c.maxAbsDiff());
                c.disagreeing().forEach(one.putArray("over_tolerance")::add);
            }
        }
        f.warnings().forEach(root.putArray("warnings")::add);
        return root;
    }

    private static ObjectNode curve(ObjectNode n, OptimizerFindings s) {
        n.put("optimizer", s.optimizer()).put("axis", s.axis().name());
        if (!s.curve().conditions().isEmpty()) {
            n.put("conditions", s.curve().conditions());
        }
        if (s.isEmpty()) {
            return n;
        }
        CurvePoint best = s.best();
        n.put("best_value", best.value().text());
        num(n, "best_loss", s.bestLoss());
        pair(n, "best_loss_ci", s.intervals().get(Metric.BEST_LOSS));
        pair(n, "best_seed_ci95", s.bestInterval());
        n.put("seeds_at_best", best.losses().length);
        n.put("best_trial", best.trialIds().isEmpty() ? null : best.trialIds().get(0));
        Stability st = s.stability();
        ObjectNode widths = n.putObject("widths");
        widths.put("unit", s.axis().widthUnit());
        st.widths().forEach((m, v) -> {
            ObjectNode w = widths.putObject(m.key());
            num(w, "value", v);
            w.put("censored", st.censored().get(m));
            pair(w, "ci", s.intervals().get(m));
        });
        num(n, "excess", st.excess());
        pair(n, "excess_ci", s.intervals().get(Metric.EXCESS));
        num(n, "excess_finite", st.excessFinite());
        pair(n, "excess_finite_ci", s.intervals().get(Metric.EXCESS_FINITE));
        n.put("excess_finite_excluded_points", st.excludedPoints());
        num(n, "first_divergence_below", st.divergeBelow());
        num(n, "first_divergence_above", st.divergeAbove());
        n.put("divergences", st.divergences());
        n.put("best_on_edge", st.bestOnEdge());
        ArrayNode points = n.putArray("curve");
        for (CurvePoint p : s.curve().points()) {
            ObjectNode q = points.addObject().put("value", p.value().text());
            num(q, "mean", p.mean(s.worst()));
            num(q, "finite_mean", p.finiteMean());
            pair(q, "band95", p.band());
            q.put("seeds", p.losses().length).put("diverged", p.diverged());
            ObjectNode setting = q.putObject("setting");
            p.setting().keys().stream().sorted().forEach(k -> setting.put(k, p.setting().get(k).text()));
        }
        return n;
    }

    private static void num(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }

    private static void pair(ObjectNode n, String key, double[] v) {
        ArrayNode a = n.putArray(key);
        for (double x : v) {
            if (Double.isFinite(x)) {
                a.add(x);
            } else {
                a.addNull();
            }
        }
    }
}
