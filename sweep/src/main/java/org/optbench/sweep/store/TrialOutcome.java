package org.optbench.sweep.store;

import java.util.List;

/**
 * How a trial finished, as the store records it: its state, the final validation loss, the step
 * it diverged at, its optimizer state size, the run's result JSON, an error for a failed trial,
 * and the metrics read back from its files (null keeps those its worker reported).
 *
 * @param status       completed, diverged or failed
 * @param finalValLoss the final validation loss, or null
 * @param divergedAt   the divergence step, or null
 * @param stateBytes   optimizer state bytes, or null
 * @param result       the run's result JSON, or null
 * @param error        why it failed, or null
 * @param metrics      metrics replacing the stored ones, or null
 */
public record TrialOutcome(TrialStatus status, Double finalValLoss, Integer divergedAt, Long stateBytes, String result,
                           String error, List<MetricRow> metrics) {

    /** A trial that failed for {@code error}. */
    public static TrialOutcome failed(String error) {
        return new TrialOutcome(TrialStatus.FAILED, null, null, null, null, error, null);
    }
}
