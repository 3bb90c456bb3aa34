package org.optbench.sweep.store;

import java.util.Map;

/**
 * A trial as the store holds it: its point in the sweep, its state, and once finished its result
 * (the final validation loss, the divergence step, optimizer state bytes, and the run's result
 * JSON), and while it runs the latest step its worker reported with that step's training loss.
 */
public record TrialRecord(String id, String sweepId, int index, String key, String optimizer, Map<String, String> params,
                          long seed, TrialStatus status, String error, int attempts, String executorId,
                          String startedAt, String finishedAt, Double finalValLoss, Integer divergedAt, Long stateBytes,
                          String result, Integer lastStep, Double lastLoss) {

    public double lr() {
        String lr = params.get("lr");
        return lr == null ? Double.NaN : Double.parseDouble(lr);
    }
}
