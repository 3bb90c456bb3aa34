package org.optbench.sweep.report;

import java.util.List;
import java.util.Map;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.TrialRecord;

/**
 * A sweep's results as data, for a report written away from its store: what a client fetched from
 * a server, so that the report shows only what the API let its caller see.
 *
 * @param sweepId the sweep's id
 * @param spec    the spec text stored with the sweep (its analysis settings and claims)
 * @param trials  every trial
 * @param evals   each trial's evaluations by trial id (trials without any may be absent)
 */
public record SweepResults(String sweepId, String spec, List<TrialRecord> trials, Map<String, List<MetricRow>> evals) {

    public SweepResults {
        trials = List.copyOf(trials);
        evals = Map.copyOf(evals);
    }
}
