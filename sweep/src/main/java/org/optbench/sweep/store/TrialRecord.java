package org.optbench.sweep.store;

import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.Trial;

/**
 * A trial as the store holds it: its point in the sweep, its state, and once finished its result
 * (the final validation loss, the divergence step, optimizer state bytes, and the run's result
 * JSON), and while it runs the latest step its worker reported with that step's training loss.
 */
public record TrialRecord(String id, String sweepId, int index, String key, String optimizer, Point point,
                          long seed, TrialStatus status, String error, int attempts, String executorId,
                          String startedAt, String finishedAt, Double finalValLoss, Integer divergedAt, Long stateBytes,
                          String result, Integer lastStep, Double lastLoss) {

    /** The trial of the sweep's expansion this record holds. */
    public Trial trial() {
        return new Trial(index, optimizer, point, seed);
    }

    /** Each swept setting's key and value as written, in key order: the settings as text for a wire format. */
    public void forEachSetting(java.util.function.BiConsumer<String, String> action) {
        point.forEach((k, v) -> action.accept(k, v.text()));
    }

    /** The learning rate of the swept (non-adaptive) group, NaN when the sweep leaves it to the default. */
    public double lr() {
        return point.number("lr");
    }
}
