package org.optbench.sweep.analysis;

import java.util.Map;
import java.util.TreeMap;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.SweptValue;

/**
 * One side of a claim: an optimizer's trials, optionally only those at given swept values
 * ({@code beta1=0.9}), e.g. {@code adamw}, the value {@code 0.9} of the analysed axis, or
 * {@code {optimizer: adamw, tie_betas: true}}.
 *
 * @param optimizer the optimizer
 * @param where     swept values the trials must have (numbers compared by value), in key order
 */
public record Arm(String optimizer, Point where) {

    public Arm {
        Map<String, SweptValue> sorted = new TreeMap<>();
        where.forEach(sorted::put);
        where = Point.of(sorted);
    }

    /** Whether {@code t} belongs to this arm. */
    public boolean contains(TrialRecord t) {
        return t.optimizer().equals(optimizer) && t.point().contains(where);
    }

    /** How a report names the arm: {@code adamw} or {@code adamw beta1=0.9}. */
    public String label() {
        String values = where.label();
        return values.isEmpty() ? optimizer : optimizer + " " + values;
    }
}
