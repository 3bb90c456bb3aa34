package org.optbench.sweep.analysis;

import java.util.Map;
import java.util.TreeMap;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.SweptValue;

/**
 * One side of a claim: an optimizer's trials, optionally only those at given swept values
 * ({@code beta1=0.9}), e.g. {@code adamw}, the value {@code 0.9} of the analysed axis, or
 * {@code {optimizer: adamw, tie_betas: true}}. In a one-at-a-time sweep an arm also holds the
 * settings it does not name at their defaults ({@code held}), so that {@code {optimizer: adamw,
 * beta1: 0.8}} is the one point that changes beta1 alone.
 *
 * @param optimizer the optimizer
 * @param where     swept values the arm names (numbers compared by value), in key order
 * @param held      swept values the arm holds at their defaults without naming them, in key order
 */
public record Arm(String optimizer, Point where, Point held) {

    public Arm {
        where = sorted(where);
        held = sorted(held);
    }

    /** An arm that holds nothing it does not name. */
    public Arm(String optimizer, Point where) {
        this(optimizer, where, Point.EMPTY);
    }

    private static Point sorted(Point p) {
        Map<String, SweptValue> sorted = new TreeMap<>();
        p.forEach(sorted::put);
        return Point.of(sorted);
    }

    /** Whether {@code t} belongs to this arm. */
    public boolean contains(TrialRecord t) {
        return t.optimizer().equals(optimizer) && t.point().contains(where) && t.point().contains(held);
    }

    /** How a report names the arm: {@code adamw} or {@code adamw beta1=0.9}. */
    public String label() {
        String values = where.label();
        return values.isEmpty() ? optimizer : optimizer + " " + values;
    }
}
