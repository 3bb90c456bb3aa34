package org.optbench.sweep.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.SweptValue;

/**
 * Builds an optimizer's curve along an axis from its trials. Trials with the same swept values
 * are one setting (its seeds); a setting's loss is its mean over seeds with divergences at the
 * worst case. Along an axis, the learning rate is tuned per point (unless the axis is the
 * learning rate) and every other swept setting is held at the optimizer's best setting.
 */
public final class Curves {

    private Curves() {
    }

    /** A finished trial's loss: the final loss, +infinity for a divergence, NaN when it tells nothing. */
    static double loss(TrialRecord t) {
        if (t.status() == TrialStatus.COMPLETED) {
            return t.finalValLoss() != null && Double.isFinite(t.finalValLoss()) ? t.finalValLoss()
                    : Double.POSITIVE_INFINITY;
        }
        return t.status() == TrialStatus.DIVERGED ? Double.POSITIVE_INFINITY : Double.NaN;
    }

    /** The settings of {@code trials}: swept values to their trials, in first-seen order. */
    static Map<Point, List<TrialRecord>> settings(List<TrialRecord> trials) {
        Map<Point, List<TrialRecord>> out = new LinkedHashMap<>();
        for (TrialRecord t : trials) {
            out.computeIfAbsent(t.point(), k -> new ArrayList<>()).add(t);
        }
        return out;
    }

    /** The keys whose values differ among {@code trials}: the axes they vary, in first-seen order. */
    static List<String> varying(List<TrialRecord> trials) {
        Map<String, Set<SweptValue>> values = new LinkedHashMap<>();
        for (TrialRecord t : trials) {
            t.point().keys().forEach(k -> values.putIfAbsent(k, new HashSet<>()));
        }
        for (TrialRecord t : trials) {
            values.forEach((k, set) -> set.add(t.point().getOrDefault(k, Axis.DEFAULT)));
        }
        List<String> out = new ArrayList<>();
        values.forEach((k, set) -> {
            if (set.size() > 1) {
                out.add(k);
            }
        });
        return out;
    }

    private static CurvePoint point(Axis axis, Point setting, List<TrialRecord> trials) {
        List<Double> losses = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        int excluded = 0;
        for (TrialRecord t : trials) {
            double l = loss(t);
            if (Double.isNaN(l)) {
                excluded++;
            } else {
                losses.add(l);
                seeds.add(t.seed());
                ids.add(t.id());
            }
        }
        SweptValue value = setting.getOrDefault(axis.name(), Axis.DEFAULT);
        double x = value.equals(Axis.DEFAULT) && axis.scale() != Axis.Scale.CATEGORY ? Double.NaN : axis.coordinate(value);
        return new CurvePoint(value, x, setting, losses.stream().mapToDouble(Double::doubleValue).toArray(),
                seeds.stream().mapToLong(Long::longValue).toArray(), ids, excluded);
    }

    /**
     * The curve of {@code trials} (one optimizer's finished trials) along {@code axis}, divergences
     * counted at {@code worst}; settings where no trial says anything are left out.
     */
    public static Curve along(String optimizer, Axis axis, List<TrialRecord> trials, double worst) {
        return along(optimizer, axis, trials, worst, Set.of());
    }

    /**
     * The curve of {@code trials} along {@code axis} with its settings chosen on the seeds in
     * {@code select} (the best setting whose other values are held, and the learning rate tuned at
     * each point) and its points holding only the other seeds, the ones that judge; every seed
     * chooses and judges when {@code select} is empty. Points with no judging seed are left out.
     */
    public static Curve along(String optimizer, Axis axis, List<TrialRecord> trials, double worst, Set<Long> select) {
        java.util.function.ToDoubleFunction<CurvePoint> score = select.isEmpty() ? p -> p.mean(worst) : p -> {
            double m = p.seeds(select, true).mean(worst);
            return Double.isNaN(m) ? Double.POSITIVE_INFINITY : m;
        };
        List<CurvePoint> settings = new ArrayList<>();
        settings(trials).forEach((setting, list) -> {
            CurvePoint p = point(axis, setting, list);
            if (p.losses().length > 0) {
                settings.add(p);
            }
        });
        if (settings.isEmpty()) {
            return new Curve(optimizer, axis, List.of(), Point.EMPTY, List.of(), List.of(), List.of());
        }
        CurvePoint best = settings.stream().min(Comparator.comparingDouble(score)).orElseThrow();
        List<String> swept = varying(trials);
        boolean tuneLr = !axis.name().equals("lr") && swept.contains("lr");
        Map<String, SweptValue> held = new TreeMap<>();
        for (String k : swept) {
            if (!k.equals(axis.name()) && !(tuneLr && k.equals("lr"))) {
                held.put(k, best.setting().getOrDefault(k, Axis.DEFAULT));
            }
        }
        Map<SweptValue, List<CurvePoint>> byValue = new LinkedHashMap<>();
        settings.forEach(p -> byValue.computeIfAbsent(p.value(), k -> new ArrayList<>()).add(p));
        List<CurvePoint> points = new ArrayList<>();
        List<SweptValue> unheld = new ArrayList<>();
        List<Curve.TunedEdge> tunedEdges = new ArrayList<>();
        byValue.forEach((value, candidates) -> {
            List<CurvePoint> matching = candidates.stream().filter(p -> held.entrySet().stream()
                    .allMatch(h -> h.getValue().equals(p.setting().getOrDefault(h.getKey(), Axis.DEFAULT)))).toList();
            if (matching.isEmpty()) {
                unheld.add(value);
                matching = candidates;
            }
            CurvePoint chosen = matching.stream().min(Comparator.comparingDouble(score)).orElseThrow();
            CurvePoint judged = select.isEmpty() ? chosen : chosen.seeds(select, false);
            if (judged.losses().length > 0) {
                points.add(judged);
            }
            if (tuneLr) {
                Curve.TunedEdge edge = tunedEdge(value, chosen, matching);
                if (edge != null) {
                    tunedEdges.add(edge);
                }
            }
        });
        if (axis.numeric() && points.stream().anyMatch(p -> !Double.isNaN(p.x()))) {
            points.removeIf(p -> Double.isNaN(p.x()));   // trials that left a swept number at its default
        }
        points.sort(Comparator.comparingDouble(p -> Double.isNaN(p.x()) ? Double.NEGATIVE_INFINITY : p.x()));
        return new Curve(optimizer, axis, points, Point.of(held), tuneLr ? List.of("lr") : List.of(), unheld, tunedEdges);
    }

    /** Whether the learning rate tuned at one axis value is the lowest or highest of two or more tried there. */
    private static Curve.TunedEdge tunedEdge(SweptValue value, CurvePoint chosen, List<CurvePoint> tried) {
        List<Double> lrs = tried.stream().map(p -> p.setting().get("lr")).filter(v -> v != null && v.isNumber())
                .map(SweptValue::asNumber).distinct().sorted().toList();
        SweptValue lr = chosen.setting().get("lr");
        if (lrs.size() < 2 || lr == null || !lr.isNumber()) {
            return null;
        }
        double x = lr.asNumber();
        return x == lrs.get(0) ? new Curve.TunedEdge(value, lr, false)
                : x == lrs.get(lrs.size() - 1) ? new Curve.TunedEdge(value, lr, true) : null;
    }
}
