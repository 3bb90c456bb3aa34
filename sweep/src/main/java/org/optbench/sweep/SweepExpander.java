package org.optbench.sweep;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import org.optbench.sweep.error.SweepSpecException;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.SweptValue;
import org.optbench.sweep.trial.Trial;

/**
 * Turns a spec into its trials, in a fixed order: optimizers in file order; for grid search the
 * cartesian product of the optimizer's own parameters then the shared ones (first key outermost);
 * for random search {@code run_cap} draws per optimizer from a generator seeded by
 * {@code random_seed} and the optimizer's name; one at a time the default point, then each
 * setting's other values in file order with the rest at their defaults; each point once per seed. Trials are produced one
 * at a time, so validation walks a spec whose count ({@link SweepSpec#trialCount}, by
 * multiplication) it has accepted without holding it all, and {@link #expand} lists them once for
 * the store.
 */
public final class SweepExpander {

    private SweepExpander() {
    }

    /** Every trial, produced lazily in expansion order. */
    public static Iterable<Trial> trials(SweepSpec spec) {
        return () -> new Trials(spec);
    }

    /** Every trial as a list; call it only after {@link SweepSpec#trialCount} was found acceptable. */
    public static List<Trial> expand(SweepSpec spec) {
        List<Trial> out = new ArrayList<>();
        trials(spec).forEach(out::add);
        return out;
    }

    /** Walks optimizers, then points (a mixed-radix counter over the grid, or random draws), then seeds. */
    private static final class Trials implements Iterator<Trial> {
        private final SweepSpec spec;
        private final Iterator<String> optimizers;
        private String optimizer;
        private List<Map.Entry<String, SweepParameter>> params;
        private long pointCount;
        private long point;
        private Random rng;
        private Point current;
        private int seed;
        private int index;

        Trials(SweepSpec spec) {
            this.spec = spec;
            this.optimizers = spec.optimizers().keySet().iterator();
        }

        @Override
        public boolean hasNext() {
            while (current == null) {
                if (optimizer != null && point < pointCount) {
                    current = switch (spec.method()) {
                        case RANDOM -> draw();
                        case GRID -> gridPoint(point);
                        case ONE_AT_A_TIME -> oneAtATimePoint(point);
                    };
                    point++;
                    seed = 0;
                    return true;
                }
                if (!optimizers.hasNext()) {
                    return false;
                }
                optimizer = optimizers.next();
                params = new ArrayList<>(spec.parameters(optimizer).entrySet());
                point = 0;
                if (spec.method() == SweepSpec.Method.RANDOM) {
                    pointCount = spec.runCap();
                    rng = new Random(spec.randomSeed() * 31 + optimizer.hashCode());
                } else {
                    for (Map.Entry<String, SweepParameter> p : params) {
                        if (p.getValue().isDistribution()) {
                            throw new SweepSpecException("parameter '" + p.getKey() + "' has a distribution: grid search "
                                    + "takes value or values; use method: random");
                        }
                    }
                    pointCount = spec.pointCount(optimizer);
                }
            }
            return true;
        }

        @Override
        public Trial next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Trial t = new Trial(index++, optimizer, current, spec.seeds().get(seed++));
            if (seed == spec.seeds().size()) {
                current = null;
            }
            return t;
        }

        private Point gridPoint(long i) {
            Map<String, SweptValue> values = new LinkedHashMap<>();
            long[] radix = new long[params.size()];
            long inner = 1;
            for (int j = params.size() - 1; j >= 0; j--) {
                radix[j] = inner;
                inner *= params.get(j).getValue().grid().size();
            }
            for (int j = 0; j < params.size(); j++) {
                List<SweptValue> grid = params.get(j).getValue().grid();
                values.put(params.get(j).getKey(), grid.get((int) ((i / radix[j]) % grid.size())));
            }
            return Point.of(values);
        }

        /** Point 0 holds every setting at its default; then each setting's other values, one setting at a time. */
        private Point oneAtATimePoint(long i) {
            Map<String, SweptValue> values = new LinkedHashMap<>();
            params.forEach(p -> values.put(p.getKey(), p.getValue().held()));
            long left = i - 1;
            for (int j = 0; j < params.size() && left >= 0; j++) {
                SweepParameter p = params.get(j).getValue();
                List<SweptValue> others = p.grid().stream().filter(v -> !v.equals(p.held())).toList();
                if (left < others.size()) {
                    values.put(params.get(j).getKey(), others.get((int) left));
                    return Point.of(values);
                }
                left -= others.size();
            }
            return Point.of(values);
        }

        private Point draw() {
            Map<String, SweptValue> values = new LinkedHashMap<>();
            params.forEach(p -> values.put(p.getKey(), p.getValue().sample(rng)));
            return Point.of(values);
        }
    }
}
