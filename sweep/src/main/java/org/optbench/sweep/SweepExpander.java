package org.optbench.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Turns a spec into its trials, in a fixed order: optimizers in file order; for grid search the
 * cartesian product of the optimizer's own parameters then the shared ones (first key outermost);
 * for random search {@code run_cap} draws per optimizer from a generator seeded by
 * {@code random_seed} and the optimizer's name; each point once per seed.
 */
public final class SweepExpander {

    private SweepExpander() {
    }

    public static List<TrialSpec> expand(SweepSpec spec) {
        List<TrialSpec> trials = new ArrayList<>();
        for (Map.Entry<String, Map<String, SweepParameter>> opt : spec.optimizers().entrySet()) {
            Map<String, SweepParameter> all = new LinkedHashMap<>(opt.getValue());
            spec.shared().forEach(all::putIfAbsent);
            List<Map<String, String>> points = spec.method().equals("random")
                    ? sample(all, spec.runCap(), new Random(spec.randomSeed() * 31 + opt.getKey().hashCode()))
                    : grid(all);
            for (Map<String, String> point : points) {
                for (long seed : spec.seeds()) {
                    trials.add(new TrialSpec(trials.size(), opt.getKey(), point, seed));
                }
            }
        }
        return trials;
    }

    private static List<Map<String, String>> grid(Map<String, SweepParameter> params) {
        List<Map<String, String>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, SweepParameter> p : params.entrySet()) {
            if (p.getValue().isDistribution()) {
                throw new SweepSpecException("parameter '" + p.getKey() + "' has a distribution: grid search takes "
                        + "value or values; use method: random");
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> point : points) {
                for (Object v : p.getValue().grid()) {
                    Map<String, String> extended = new LinkedHashMap<>(point);
                    extended.put(p.getKey(), String.valueOf(v));
                    next.add(extended);
                }
            }
            points = next;
        }
        return points;
    }

    private static List<Map<String, String>> sample(Map<String, SweepParameter> params, int count, Random rng) {
        List<Map<String, String>> points = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, String> point = new LinkedHashMap<>();
            params.forEach((k, p) -> point.put(k, String.valueOf(p.sample(rng))));
            points.add(point);
        }
        return points;
    }
}
