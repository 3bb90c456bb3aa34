package org.optbench.sweep.analysis;

import java.util.Map;
import java.util.TreeMap;
import org.optbench.sweep.store.TrialRecord;

/**
 * One side of a claim: an optimizer's trials, optionally only those at given swept values
 * ({@code beta1=0.9}), e.g. {@code adamw}, the value {@code 0.9} of the analysed axis, or
 * {@code {optimizer: adamw, tie_betas: true}}.
 *
 * @param optimizer the optimizer
 * @param where     swept values the trials must have (numbers compared as numbers)
 */
public record Arm(String optimizer, Map<String, String> where) {

    public Arm {
        where = new TreeMap<>(where);
    }

    /** Whether {@code t} belongs to this arm. */
    public boolean contains(TrialRecord t) {
        if (!t.optimizer().equals(optimizer)) {
            return false;
        }
        return where.entrySet().stream().allMatch(e -> same(e.getValue(), t.params().get(e.getKey())));
    }

    /** Two written values are the same: equal text, or equal numbers (1e-3 and 0.001). */
    public static boolean same(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.equals(b)) {
            return true;
        }
        try {
            return Double.parseDouble(a) == Double.parseDouble(b);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** How a report names the arm: {@code adamw} or {@code adamw beta1=0.9}. */
    public String label() {
        StringBuilder s = new StringBuilder(optimizer);
        where.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
        return s.toString();
    }
}
