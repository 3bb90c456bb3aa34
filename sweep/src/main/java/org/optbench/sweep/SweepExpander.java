package org.optbench.sweep;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Turns a spec into its trials, in a fixed order: optimizers in file order; for grid search the
 * cartesian product of the optimizer's own parameters then the shared ones (first key outermost);
 * for random search {@code run_cap} draws per optimizer from a generator seeded by
 * {@code random_seed} and the optimizer's name; each point once per seed. The number of trials is
 * computed by multiplication ({@link #count}) and the trials, each with the {@code RunSpec} it
 * trains ({@link SweepSpec#run}), are produced one at a time, so a spec too large to run is refused
 * without expanding it.
 */
public final class SweepExpander {

    private SweepExpander() {
    }

    /** Trials of {@code spec}, by multiplication; saturates at Long.MAX_VALUE. */
    public static long count(SweepSpec spec) {
        long total = 0;
        for (Map.Entry<String, Map<String, SweepParameter>> opt : spec.optimizers().entrySet()) {
            long points = 1;
            if (spec.method() == SweepSpec.Method.RANDOM) {
                points = spec.runCap();
            } else {
                for (SweepParameter p : merged(spec, opt.getValue()).values()) {
                    points = saturatedProduct(points, p.isDistribution() ? 1 : p.grid().size());
                }
            }
            total = saturatedSum(total, saturatedProduct(points, spec.seeds().size()));
        }
        return total;
    }

    /** Every trial, produced lazily in expansion order. */
    public static Iterable<TrialSpec> trials(SweepSpec spec) {
        return () -> new Trials(spec, true);
    }

    /** One trial per point (the first seed only): what validation checks, since seeds change no setting. */
    public static Iterable<TrialSpec> points(SweepSpec spec) {
        return () -> new Trials(spec, false);
    }

    /** Every trial as a list; call it only after {@link #count} was found acceptable. */
    public static List<TrialSpec> expand(SweepSpec spec) {
        List<TrialSpec> out = new ArrayList<>();
        trials(spec).forEach(out::add);
        return out;
    }

    private static Map<String, SweepParameter> merged(SweepSpec spec, Map<String, SweepParameter> own) {
        Map<String, SweepParameter> all = new LinkedHashMap<>(own);
        spec.shared().forEach(all::putIfAbsent);
        return all;
    }

    private static long saturatedProduct(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long saturatedSum(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Walks optimizers, then points (a mixed-radix counter over the grid, or random draws), then seeds. */
    private static final class Trials implements Iterator<TrialSpec> {
        private final SweepSpec spec;
        private final boolean everySeed;
        private final Iterator<Map.Entry<String, Map<String, SweepParameter>>> optimizers;
        private String optimizer;
        private List<Map.Entry<String, SweepParameter>> params;
        private long pointCount;
        private long point;
        private Random rng;
        private Map<String, String> current;
        private int seed;
        private int index;

        Trials(SweepSpec spec, boolean everySeed) {
            this.spec = spec;
            this.everySeed = everySeed;
            this.optimizers = spec.optimizers().entrySet().iterator();
        }

        @Override
        public boolean hasNext() {
            while (current == null) {
                if (optimizer != null && point < pointCount) {
                    current = spec.method() == SweepSpec.Method.RANDOM ? draw() : gridPoint(point);
                    point++;
                    seed = 0;
                    return true;
                }
                if (!optimizers.hasNext()) {
                    return false;
                }
                Map.Entry<String, Map<String, SweepParameter>> next = optimizers.next();
                optimizer = next.getKey();
                params = new ArrayList<>(merged(spec, next.getValue()).entrySet());
                point = 0;
                if (spec.method() == SweepSpec.Method.RANDOM) {
                    pointCount = spec.runCap();
                    rng = new Random(spec.randomSeed() * 31 + optimizer.hashCode());
                } else {
                    pointCount = 1;
                    for (Map.Entry<String, SweepParameter> p : params) {
                        if (p.getValue().isDistribution()) {
                            throw new SweepSpecException("parameter '" + p.getKey() + "' has a distribution: grid search "
                                    + "takes value or values; use method: random");
                        }
                        pointCount = saturatedProduct(pointCount, p.getValue().grid().size());
                    }
                }
            }
            return true;
        }

        @Override
        public TrialSpec next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            long seedValue = spec.seeds().get(seed);
            TrialSpec t = new TrialSpec(index, optimizer, current, seedValue, spec.run(optimizer, current, seedValue));
            if (everySeed) {
                index++;
                seed++;
            } else {
                index += spec.seeds().size();
                seed = spec.seeds().size();
            }
            if (seed == spec.seeds().size()) {
                current = null;
            }
            return t;
        }

        private Map<String, String> gridPoint(long i) {
            Map<String, String> values = new LinkedHashMap<>();
            long rest = i;
            long[] radix = new long[params.size()];
            long inner = 1;
            for (int j = params.size() - 1; j >= 0; j--) {
                radix[j] = inner;
                inner *= params.get(j).getValue().grid().size();
            }
            for (int j = 0; j < params.size(); j++) {
                List<Object> grid = params.get(j).getValue().grid();
                values.put(params.get(j).getKey(), String.valueOf(grid.get((int) ((rest / radix[j]) % grid.size()))));
            }
            return values;
        }

        private Map<String, String> draw() {
            Map<String, String> values = new LinkedHashMap<>();
            params.forEach(p -> values.put(p.getKey(), String.valueOf(p.getValue().sample(rng))));
            return values;
        }
    }
}
