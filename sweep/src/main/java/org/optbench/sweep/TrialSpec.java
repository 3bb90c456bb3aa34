package org.optbench.sweep;

import java.util.Map;
import java.util.TreeMap;
import org.optbench.train.spec.RunSpec;

/**
 * One trial of a sweep: its index in the expansion, the optimizer, its swept values as written
 * (what the store keeps and shows), the seed, and the {@link RunSpec} the point resolves to.
 * {@link #key()} identifies the point independently of its index, so a resumed sweep matches
 * trials to what it already ran.
 *
 * @param index           position in the expansion
 * @param optimizer       optimizer or hybrid name
 * @param hyperparameters the swept values by key, as text
 * @param seed            the seed
 * @param run             the run this trial trains (before the runner's placement), or null for a
 *                        trial known only by its point (a stored one)
 */
public record TrialSpec(int index, String optimizer, Map<String, String> hyperparameters, long seed, RunSpec run) {

    public TrialSpec {
        hyperparameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hyperparameters));
    }

    /** A trial known by its point only. */
    public TrialSpec(int index, String optimizer, Map<String, String> hyperparameters, long seed) {
        this(index, optimizer, hyperparameters, seed, null);
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
