package org.optbench.cli.remote;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * A sweep's time left from its trials' step rates: the training steps the watched trials have
 * taken since the first report of steps, over the time since, give the sweep's rate (all parallel
 * trials together; the first report's steps are left out, as they carry the first worker's start
 * and warm-up); the steps its unfinished trials still have to take, over that rate, give the time
 * left. A trial's total is what its worker planned; a trial that has
 * not reported one (pending, or just started) counts as the mean of those known. Unknown (NaN)
 * until some trial has reported both steps and its total.
 */
final class StepEta {

    private long startNanos = -1;
    private final Map<String, Integer> totals = new HashMap<>();
    private final Map<String, Integer> lastSteps = new HashMap<>();
    private long stepsSinceStart;

    /** Trial {@code id} was at step {@code step} when first seen: its earlier steps were not taken while watching. */
    void seen(String id, int step) {
        lastSteps.putIfAbsent(id, Math.max(0, step));
    }

    /** Trial {@code id} reported, at {@code nowNanos}, steps up to {@code step} of {@code total} (0: total unknown). */
    void stepped(String id, int step, int total, long nowNanos) {
        if (total > 0) {
            totals.put(id, total);
        }
        int before = lastSteps.getOrDefault(id, 0);
        if (step > before) {
            if (startNanos < 0) {
                startNanos = nowNanos;
            } else {
                stepsSinceStart += step - before;
            }
            lastSteps.put(id, step);
        }
    }

    /**
     * Seconds left at {@code nowNanos} for the trials {@code unfinished} (their ids), or NaN while
     * no rate or total is known.
     */
    double secondsLeft(Collection<String> unfinished, long nowNanos) {
        if (stepsSinceStart == 0 || totals.isEmpty()) {
            return Double.NaN;
        }
        double meanTotal = totals.values().stream().mapToInt(Integer::intValue).average().orElse(0);
        double left = 0;
        for (String id : unfinished) {
            double total = totals.containsKey(id) ? totals.get(id) : meanTotal;
            left += Math.max(0, total - lastSteps.getOrDefault(id, 0));
        }
        double rate = stepsSinceStart / Math.max((nowNanos - startNanos) / 1e9, 1e-9);
        return left / rate;
    }
}
