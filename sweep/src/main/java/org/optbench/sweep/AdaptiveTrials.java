package org.optbench.sweep;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.optbench.optim.RunHyperparameters;
import org.optbench.optim.hyperparameter.HyperparameterException;
import org.optbench.sweep.analysis.Axis;
import org.optbench.sweep.analysis.Curve;
import org.optbench.sweep.analysis.CurvePoint;
import org.optbench.sweep.analysis.Curves;
import org.optbench.sweep.analysis.Findings;
import org.optbench.sweep.analysis.SweepModel;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.SweptValue;
import org.optbench.sweep.trial.Trial;
import org.optbench.train.run.RunSpecException;

/**
 * The trials a sweep's {@link AdaptiveSpec} adds once every trial so far has finished, decided
 * from the results, arm by arm (an arm: one optimizer with one combination of its other swept
 * settings, whose curve along the axis is its own): for each arm whose best point lies on an edge
 * of its curve, one point
 * past that edge at the curve's own spacing (as a grid writes it, {@link #written}), until the best
 * is interior or {@code max_points} were added on that side or the next value is out of range (a
 * hyperparameter outside its range, or a value its run cannot take);
 * then, for each arm whose best is interior (or whose extension is spent), the missing seeds
 * at the best point and {@code around_best} points either side. Seeds beyond the spec's list are
 * the next whole numbers after its largest. Nothing is added past the bound the sweep was
 * validated with, so a sweep never runs more trials than its submission allowed.
 */
public final class AdaptiveTrials {

    private AdaptiveTrials() {
    }

    /** The trials to add now; empty when the sweep is done. */
    public static List<Trial> next(SweepSpec spec, List<TrialRecord> trials) {
        AdaptiveSpec adaptive = spec.adaptive();
        if (adaptive == null) {
            return List.of();
        }
        var model = SweepModel.of(trials);
        double worst = Findings.worstCase(trials, model != null ? model.vocab() : Findings.DEFAULT_VOCAB);
        long grid = spec.trialCount();
        int nextIndex = trials.stream().mapToInt(TrialRecord::index).max().orElse(-1) + 1;
        long perArm = adaptive.bound(1, spec.seeds().size());
        Set<String> have = new HashSet<>();
        trials.forEach(t -> have.add(t.key()));
        List<Trial> out = new ArrayList<>();
        for (String optimizer : spec.optimizers().keySet()) {
            for (Map.Entry<Point, List<TrialRecord>> arm : arms(trials, optimizer, adaptive.axis()).entrySet()) {
                List<TrialRecord> mine = arm.getValue().stream().filter(t -> t.status() == TrialStatus.COMPLETED
                        || t.status() == TrialStatus.DIVERGED).toList();
                long added = arm.getValue().stream().filter(t -> t.index() >= grid).count();
                for (Trial t : armTrials(spec, adaptive, optimizer, mine, worst, nextIndex, perArm - added, have)) {
                    out.add(t);
                    nextIndex++;
                }
            }
        }
        return out;
    }

    /**
     * {@code optimizer}'s trials grouped by arm: by their point with the axis left out, in the
     * order arms first appear, so each combination of the other swept settings gets its own curve.
     */
    private static Map<Point, List<TrialRecord>> arms(List<TrialRecord> trials, String optimizer, String axis) {
        Map<Point, List<TrialRecord>> out = new LinkedHashMap<>();
        for (TrialRecord t : trials) {
            if (t.optimizer().equals(optimizer)) {
                out.computeIfAbsent(sorted(t.point().without(axis)), k -> new ArrayList<>()).add(t);
            }
        }
        return out;
    }

    /** The trials one arm adds now (at most {@code room}), numbered from {@code nextIndex}; {@code have} gains their keys. */
    private static List<Trial> armTrials(SweepSpec spec, AdaptiveSpec adaptive, String optimizer, List<TrialRecord> mine,
            double worst, int nextIndex, long room, Set<String> have) {
        if (mine.isEmpty() || room <= 0) {
            return List.of();
        }
        Axis axis = Axis.along(adaptive.axis(), mine.stream().map(TrialRecord::point).toList());
        Curve curve = Curves.along(optimizer, axis, mine, worst);
        if (curve.points().isEmpty() || !axis.numeric()) {
            return List.of();
        }
        List<Point> wanted = new ArrayList<>();
        List<Long> seeds = spec.seeds();
        Point extension = adaptive.extendEdges() ? extension(spec, adaptive, curve, worst) : null;
        if (extension != null) {
            wanted.add(extension);
        } else if (adaptive.refines()) {
            int best = curve.bestIndex(worst);
            for (int i = Math.max(0, best - adaptive.aroundBest());
                 i <= Math.min(curve.points().size() - 1, best + adaptive.aroundBest()); i++) {
                wanted.add(sorted(curve.points().get(i).setting()));
            }
            seeds = refineSeeds(spec.seeds(), adaptive.refineSeeds());
        }
        List<Trial> out = new ArrayList<>();
        for (Point point : wanted) {
            for (long seed : seeds) {
                Trial t = new Trial(nextIndex + out.size(), optimizer, point, seed);
                if (out.size() < room && have.add(t.key())) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /** The spec's seeds, then the next whole numbers after the largest, {@code count} in all. */
    static List<Long> refineSeeds(List<Long> seeds, int count) {
        List<Long> out = new ArrayList<>(seeds.subList(0, Math.min(count, seeds.size())));
        long next = seeds.stream().mapToLong(Long::longValue).max().orElse(-1) + 1;
        while (out.size() < count) {
            out.add(next++);
        }
        return out;
    }

    /** {@code point} with its keys in order, as the store has always written added points. */
    private static Point sorted(Point point) {
        Map<String, SweptValue> values = new TreeMap<>();
        point.forEach(values::put);
        return Point.of(values);
    }

    /** The point past the edge where the best lies, or null when the best is interior or the edge is spent. */
    private static Point extension(SweepSpec spec, AdaptiveSpec adaptive, Curve curve, double worst) {
        List<CurvePoint> points = curve.points();
        int best = curve.bestIndex(worst);
        if (points.size() < 2 || best != 0 && best != points.size() - 1) {
            return null;
        }
        boolean low = best == 0;
        List<SweptValue> grid = grid(spec, curve.optimizer(), adaptive.axis());
        double gridEdge = grid.stream().mapToDouble(SweptValue::asNumber)
                .reduce(low ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY, low ? Math::min : Math::max);
        long beyond = points.stream().mapToDouble(p -> p.value().asNumber())
                .filter(v -> low ? v < gridEdge : v > gridEdge).count();
        if (beyond >= adaptive.maxExtend()) {
            return null;
        }
        CurvePoint edge = points.get(best);
        CurvePoint inner = points.get(low ? 1 : points.size() - 2);
        double u = 2 * edge.x() - inner.x();
        double value = curve.axis().scale() == Axis.Scale.LOG ? Math.pow(10, u) : u;
        SweptValue text = written(value);
        if (!valid(adaptive.axis(), text)) {
            return null;
        }
        Point point = sorted(edge.setting().with(adaptive.axis(), text));
        try {
            spec.run(new Trial(0, curve.optimizer(), point, spec.seeds().get(0)));
        } catch (RunSpecException | HyperparameterException e) {
            return null;   // past the edge lies no run this setting can have (a batch of 3.33)
        }
        return point;
    }

    /**
     * A value as a grid would write it: the fewest significant digits (at most three) within 0.5%
     * of it, so a half-decade grid continues 0.001, 0.00316, 0.01 rather than 0.00999.
     */
    static SweptValue written(double value) {
        BigDecimal exact = new BigDecimal(value);
        BigDecimal rounded = exact.round(new MathContext(3));
        for (int digits = 1; digits <= 3; digits++) {
            BigDecimal r = exact.round(new MathContext(digits));
            if (value == 0 || Math.abs(r.doubleValue() - value) <= 0.005 * Math.abs(value)) {
                rounded = r;
                break;
            }
        }
        rounded = rounded.stripTrailingZeros();
        return SweptValue.parse(Math.abs(value) >= 1e-4 && Math.abs(value) < 1e6 ? rounded.toPlainString()
                : rounded.toString());
    }

    /** Whether {@code value} is in range for {@code key} (hyperparameters are checked here; the worker checks the rest). */
    private static boolean valid(String key, SweptValue value) {
        if (!RunHyperparameters.contains(key)) {
            return true;
        }
        try {
            RunHyperparameters.get(key).parse(value.setting());
            return true;
        } catch (HyperparameterException e) {
            return false;
        }
    }

    private static List<SweptValue> grid(SweepSpec spec, String optimizer, String key) {
        SweepParameter p = spec.parameters(optimizer).get(key);
        return p == null || p.grid() == null ? List.of() : p.grid();
    }
}
