package org.optbench.server;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.optbench.proto.v1.ProgressReport;
import org.optbench.proto.v1.ReportAck;
import org.optbench.proto.v1.ResultReport;
import org.optbench.proto.v1.SweepEvent;
import org.optbench.proto.v1.TrialMetrics;
import org.optbench.proto.v1.WorkerServiceGrpc;
import org.optbench.server.auth.Caller;
import org.optbench.server.wire.Protos;
import org.optbench.sweep.SweepCoordinator;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.TrialOutcome;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;

/**
 * Takes trial processes' reports. A worker may report only on its own trial and only for its
 * current attempt; rows the store already holds are acknowledged without being stored or
 * published again, and a repeated result is acknowledged as already recorded.
 */
final class WorkerService extends WorkerServiceGrpc.WorkerServiceImplBase {

    private final SweepCoordinator sweeps;
    private final EventHub hub;
    private final ServerLimits limits;

    WorkerService(SweepCoordinator sweeps, EventHub hub, ServerLimits limits) {
        this.sweeps = sweeps;
        this.hub = hub;
        this.limits = limits;
    }

    @Override
    public void reportProgress(ProgressReport request, StreamObserver<ReportAck> response) {
        Calls.unary(response, () -> {
            if (request.getStepsCount() + request.getEvalsCount() > limits.maxReportRows()) {
                throw new LimitExceededException("a report holds at most " + limits.maxReportRows()
                        + " rows; send smaller batches");
            }
            TrialRecord t = current(request.getTrialId(), request.getAttempt());
            List<MetricRow> rows = new ArrayList<>();
            request.getStepsList().forEach(m -> rows.add(Protos.row(m, "train")));
            request.getEvalsList().forEach(m -> rows.add(Protos.row(m, "eval")));
            int added = sweeps.recordProgress(t.id(), rows);
            if (added > 0 && request.getStepsCount() > 0) {
                hub.publish(t.sweepId(), SweepEvent.newBuilder().setSweepId(t.sweepId()).setSteps(TrialMetrics.newBuilder()
                        .setTrialId(t.id()).addAllMetrics(request.getStepsList()).setTotalSteps(Math.max(0,
                                request.getTotalSteps()))).build());
            }
            if (added > 0 && request.getEvalsCount() > 0) {
                hub.publish(t.sweepId(), SweepEvent.newBuilder().setSweepId(t.sweepId()).setEvals(TrialMetrics.newBuilder()
                        .setTrialId(t.id()).addAllMetrics(request.getEvalsList())).build());
            }
            return ReportAck.newBuilder().setRecorded(added > 0).build();
        });
    }

    @Override
    public void reportResult(ResultReport request, StreamObserver<ReportAck> response) {
        Calls.unary(response, () -> {
            Caller caller = worker(request.getTrialId());
            TrialRecord t = sweeps.trial(caller.trialId()).orElseThrow(() -> Status.NOT_FOUND
                    .withDescription("no trial " + request.getTrialId()).asRuntimeException());
            boolean recorded;
            synchronized (this) {
                TrialRecord now = sweeps.trial(t.id()).orElseThrow();
                boolean repeat = now.attempts() == request.getAttempt()
                        && (now.status() == TrialStatus.COMPLETED || now.status() == TrialStatus.DIVERGED);
                if (!repeat) {
                    current(t.id(), request.getAttempt());
                    sweeps.finish(t.id(), new TrialOutcome(request.getDiverged() ? TrialStatus.DIVERGED : TrialStatus.COMPLETED,
                            request.hasFinalValLoss() ? request.getFinalValLoss() : null,
                            request.hasDivergedAtStep() ? request.getDivergedAtStep() : null, request.getStateBytes(),
                            request.getResultJson().isEmpty() ? null : request.getResultJson(), null, null));
                    hub.publish(t.sweepId(), SweepEvent.newBuilder().setSweepId(t.sweepId())
                            .setTrial(Protos.trial(sweeps.trial(t.id()).orElseThrow())).build());
                }
                recorded = !repeat;
            }
            return ReportAck.newBuilder().setRecorded(recorded).build();
        });
    }

    private static Caller worker(String trialId) {
        Caller caller = Caller.current();
        if (caller == null || !caller.isWorker() || !caller.trialId().equals(trialId)) {
            throw Status.PERMISSION_DENIED.withDescription("this token may not report on trial " + trialId)
                    .asRuntimeException();
        }
        return caller;
    }

    /** The trial, if {@code attempt} is its running attempt; FAILED_PRECONDITION tells a stale worker to stop. */
    private TrialRecord current(String trialId, int attempt) {
        worker(trialId);
        TrialRecord t = sweeps.trial(trialId).orElseThrow(() -> Status.NOT_FOUND.withDescription("no trial " + trialId)
                .asRuntimeException());
        if (t.status() != TrialStatus.RUNNING || t.attempts() != attempt) {
            throw Status.FAILED_PRECONDITION.withDescription("attempt " + attempt + " of trial " + trialId + " is not current "
                    + "(the trial is " + t.status().label() + ", attempt " + t.attempts() + "); stop").asRuntimeException();
        }
        return t;
    }
}
