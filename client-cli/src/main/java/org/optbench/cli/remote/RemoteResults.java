package org.optbench.cli.remote;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optbench.proto.v1.Results;
import org.optbench.proto.v1.Trial;
import org.optbench.proto.v1.TrialState;
import org.optbench.server.wire.Protos;
import org.optbench.sweep.report.SweepResults;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.SweptValue;

/**
 * A client's reading of the API's results as the domain's records, for its analysis, tables and
 * reports: the inverse of the server's {@link Protos}, whose state mapping it inverts rather than
 * repeats.
 */
public final class RemoteResults {

    private RemoteResults() {
    }

    /** The results as the report reads them: every trial with its evaluations. */
    public static SweepResults of(Results r) {
        Map<String, List<MetricRow>> evals = new LinkedHashMap<>();
        r.getTrialsList().forEach(t -> evals.put(t.getId(), t.getEvalsList().stream().map(m -> Protos.row(m, "eval")).toList()));
        return new SweepResults(r.getSweep().getId(), r.getSweep().getSpec(),
                r.getTrialsList().stream().map(RemoteResults::record).toList(), evals);
    }

    /** The store's record of an API trial. */
    public static TrialRecord record(Trial t) {
        Map<String, SweptValue> point = new LinkedHashMap<>();
        t.getParamsMap().forEach((k, v) -> point.put(k, SweptValue.parse(v)));
        return new TrialRecord(t.getId(), t.getSweepId(), t.getIndex(), "", t.getOptimizer(), Point.of(point), t.getSeed(),
                status(t.getState()), t.getError().isEmpty() ? null : t.getError(), t.getAttempts(),
                t.getExecutorId().isEmpty() ? null : t.getExecutorId(), null, null,
                t.hasFinalValLoss() ? t.getFinalValLoss() : null, t.hasDivergedAtStep() ? t.getDivergedAtStep() : null,
                t.getStateBytes(), t.getResultJson().isEmpty() ? null : t.getResultJson(),
                t.getLastStep() == 0 ? null : t.getLastStep(), t.hasLastTrainLoss() ? t.getLastTrainLoss() : null);
    }

    /** The trial status the server sends as {@code state}. */
    public static TrialStatus status(TrialState state) {
        return Arrays.stream(TrialStatus.values()).filter(s -> Protos.state(s) == state).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the server sent an unknown trial state " + state));
    }
}
