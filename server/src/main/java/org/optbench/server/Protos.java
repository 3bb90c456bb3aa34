package org.optbench.server;

import java.util.List;
import org.optbench.proto.v1.LrPoint;
import org.optbench.proto.v1.Metric;
import org.optbench.proto.v1.OptimizerSummary;
import org.optbench.proto.v1.Sweep;
import org.optbench.proto.v1.SweepState;
import org.optbench.proto.v1.Trial;
import org.optbench.proto.v1.TrialState;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.SweepRow;
import org.optbench.sweep.store.SweepStatus;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;

/** Conversions between the store's records and the API's messages. */
public final class Protos {

    private Protos() {
    }

    /** The sweep with its trial counts; {@code active} says whether a runner is driving it now. */
    public static Sweep sweep(SweepRow row, List<TrialRecord> trials, boolean active) {
        int[] counts = new int[TrialStatus.values().length];
        trials.forEach(t -> counts[t.status().ordinal()]++);
        return Sweep.newBuilder().setId(row.id()).setName(row.name()).setOwner(row.owner()).setState(state(row.status(), active))
                .setSpec(row.spec()).setCreatedAt(row.createdAt()).setTrialsTotal(trials.size())
                .setTrialsPending(counts[TrialStatus.PENDING.ordinal()])
                .setTrialsRunning(counts[TrialStatus.RUNNING.ordinal()])
                .setTrialsCompleted(counts[TrialStatus.COMPLETED.ordinal()])
                .setTrialsDiverged(counts[TrialStatus.DIVERGED.ordinal()])
                .setTrialsStopped(counts[TrialStatus.STOPPED.ordinal()])
                .setTrialsFailed(counts[TrialStatus.FAILED.ordinal()])
                .setTrialsCancelled(counts[TrialStatus.CANCELLED.ordinal()]).setReason(row.reason() == null ? "" : row.reason())
                .build();
    }

    public static SweepState state(SweepStatus status, boolean active) {
        return switch (status) {
            case COMPLETED -> SweepState.SWEEP_STATE_COMPLETED;
            case CANCELLED -> SweepState.SWEEP_STATE_CANCELLED;
            case RUNNING -> active ? SweepState.SWEEP_STATE_RUNNING : SweepState.SWEEP_STATE_PAUSED;
        };
    }

    public static Trial trial(TrialRecord t) {
        Trial.Builder b = Trial.newBuilder().setId(t.id()).setSweepId(t.sweepId()).setIndex(t.index())
                .setOptimizer(t.optimizer()).putAllParams(t.params()).setSeed(t.seed()).setState(state(t.status()))
                .setAttempts(t.attempts());
        if (t.finalValLoss() != null) {
            b.setFinalValLoss(t.finalValLoss());
        }
        if (t.divergedAt() != null) {
            b.setDivergedAtStep(t.divergedAt());
        }
        if (t.executorId() != null) {
            b.setExecutorId(t.executorId());
        }
        if (t.error() != null) {
            b.setError(t.error());
        }
        if (t.stateBytes() != null) {
            b.setStateBytes(t.stateBytes());
        }
        if (t.lastStep() != null) {
            b.setLastStep(t.lastStep());
        }
        if (t.lastLoss() != null) {
            b.setLastTrainLoss(t.lastLoss());
        }
        if (t.result() != null) {
            b.setResultJson(t.result());
        }
        return b.build();
    }

    public static TrialState state(TrialStatus s) {
        return TrialState.forNumber(s.ordinal() + 1);
    }

    public static TrialStatus status(TrialState s) {
        return TrialStatus.values()[s.getNumber() - 1];
    }

    /** The store's record of an API trial (what a client needs for analysis and reports). */
    public static TrialRecord record(Trial t) {
        return new TrialRecord(t.getId(), t.getSweepId(), t.getIndex(), "", t.getOptimizer(), t.getParamsMap(), t.getSeed(),
                status(t.getState()), t.getError().isEmpty() ? null : t.getError(), t.getAttempts(),
                t.getExecutorId().isEmpty() ? null : t.getExecutorId(), null, null,
                t.hasFinalValLoss() ? t.getFinalValLoss() : null, t.hasDivergedAtStep() ? t.getDivergedAtStep() : null,
                t.getStateBytes(), t.getResultJson().isEmpty() ? null : t.getResultJson(),
                t.getLastStep() == 0 ? null : t.getLastStep(), t.hasLastTrainLoss() ? t.getLastTrainLoss() : null);
    }

    public static Metric metric(MetricRow m) {
        Metric.Builder b = Metric.newBuilder().setStep(m.step());
        if (m.tokens() != null) {
            b.setTokens(m.tokens());
        }
        if (m.loss() != null) {
            b.setLoss(m.loss());
        }
        if (m.lr() != null) {
            b.setLr(m.lr());
        }
        if (m.gradNorm() != null) {
            b.setGradNorm(m.gradNorm());
        }
        return b.build();
    }

    public static MetricRow row(Metric m, String kind) {
        return kind.equals("eval") ? new MetricRow(m.getStep(), kind, null, m.getLoss(), null, null)
                : new MetricRow(m.getStep(), kind, m.getTokens(), m.getLoss(), m.getLr(), m.getGradNorm());
    }

    public static OptimizerSummary summary(org.optbench.sweep.analysis.OptimizerSummary s) {
        OptimizerSummary.Builder b = OptimizerSummary.newBuilder().setOptimizer(s.optimizer()).setTrials(s.trials())
                .setDiverged(s.diverged()).setBestLoss(s.bestLoss()).setBestLr(s.bestLr()).setWidth002(s.width002())
                .setWidth01(s.width01()).setMeanExcess(s.meanExcess()).setSeedMean(s.seedMean()).setSeedStd(s.seedStd())
                .setCi95(s.ci95()).setStateBytesPerParam(s.stateBytesPerParam())
                .setBestTrialId(s.bestTrialId() == null ? "" : s.bestTrialId());
        s.curve().forEach(p -> b.addCurve(LrPoint.newBuilder().setLr(p.lr()).setLoss(p.loss()).setSeeds(p.seeds())
                .setDiverged(p.diverged())));
        return b.build();
    }
}
