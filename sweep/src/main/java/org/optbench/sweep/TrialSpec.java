package org.optbench.sweep;

import java.util.Map;
import java.util.TreeMap;

/**
 * One point of a sweep: its index in the expansion, the optimizer, its hyperparameter values and
 * the seed. {@link #key()} identifies the point independently of its index, so a resumed sweep
 * matches trials to what it already ran.
 */
public record TrialSpec(int index, String optimizer, Map<String, String> hyperparameters, long seed) {

    public TrialSpec {
        hyperparameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hyperparameters));
    }

    public String key() {
        return optimizer + " " + new TreeMap<>(hyperparameters) + " seed=" + seed;
    }

    /** The learning rate of the swept (non-adaptive) group, NaN when the spec leaves it to the default. */
    public double lr() {
        String lr = hyperparameters.get("lr");
        return lr == null ? Double.NaN : Double.parseDouble(lr);
    }
}
