package org.optbench.server.wire;

import java.util.List;
import org.optbench.proto.v1.ClaimVerdict;
import org.optbench.proto.v1.LrPoint;
import org.optbench.proto.v1.Metric;
import org.optbench.proto.v1.OptimizerSummary;
import org.optbench.proto.v1.Sweep;
import org.optbench.proto.v1.SweepState;
import org.optbench.proto.v1.Trial;
import org.optbench.proto.v1.TrialState;
import org.optbench.sweep.analysis.ClaimResult;
import org.optbench.sweep.analysis.SummaryRow;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.SweepRow;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;

/**
 * The server's conversions from the domain's records to the API's messages (and a worker's
 * metrics back into rows); a client's conversions the other way are in the client.
 */
public final class Protos {

    private Protos() {
    }

    /**
     * The sweep with its trial counts; {@code active} says whether a runner is driving it now. A
     * trial the store holds as running in a sweep nobody drives (a study stopped by Ctrl-C, a
     * server that went down) is not running: it is counted as pending, since it resumes from its
     * checkpoint when the sweep does.
     */
    public static Sweep sweep(SweepRow row, List<TrialRecord> trials, boolean active) {
        int[] counts = new int[TrialStatus.values().length];
        trials.forEach(t -> counts[t.status().ordinal()]++);
        if (!active) {
            counts[TrialStatus.PENDING.ordinal()] += counts[TrialStatus.RUNNING.ordinal()];
            counts[TrialStatus.RUNNING.ordinal()] = 0;
        }
        return Sweep.newBuilder().setId(row.id()).setName(row.name()).setOwner(row.owner()).setState(state(row, active))
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

    /** The API's state of a sweep: a running sweep nobody drives is paused. */
    public static SweepState state(SweepRow row, boolean active) {
        if (row.running()) {
            return active ? SweepState.SWEEP_STATE_RUNNING : SweepState.SWEEP_STATE_PAUSED;
        }
        return row.cancelled() ? SweepState.SWEEP_STATE_CANCELLED : SweepState.SWEEP_STATE_COMPLETED;
    }

    public static Trial trial(TrialRecord t) {
        Trial.Builder b = Trial.newBuilder().setId(t.id()).setSweepId(t.sweepId()).setIndex(t.index())
                .setOptimizer(t.optimizer()).setSeed(t.seed()).setState(state(t.status())).setAttempts(t.attempts());
        t.forEachSetting(b::putParams);
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

    /** At most {@code max} of {@code rows}, evenly spaced, the first and the last always kept (max >= 2). */
    public static List<MetricRow> thinned(List<MetricRow> rows, int max) {
        if (rows.size() <= max) {
            return rows;
        }
        List<MetricRow> out = new java.util.ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            out.add(rows.get((int) ((long) i * (rows.size() - 1) / (max - 1))));
        }
        return out;
    }

    public static MetricRow row(Metric m, String kind) {
        return kind.equals("eval") ? new MetricRow(m.getStep(), kind, null, m.getLoss(), null, null)
                : new MetricRow(m.getStep(), kind, m.getTokens(), m.getLoss(), m.getLr(), m.getGradNorm());
    }

    /** An optimizer's summary along its axis, with its trial counts. */
    public static OptimizerSummary summary(SummaryRow r) {
        OptimizerSummary.Builder b = OptimizerSummary.newBuilder().setOptimizer(r.optimizer()).setTrials(r.trials())
                .setDiverged(r.diverged()).setAxis(r.axis()).setStateBytesPerParam(r.stateBytesPerParam());
        if (!r.finished()) {
            return b.setBestLoss(Double.NaN).setBestLr(Double.NaN).build();
        }
        b.setBestLoss(r.bestLoss()).setBestValue(r.bestValue()).setBestLr(r.bestLr()).setWidth002(r.width002())
                .setWidth01(r.width01()).setWidth1Pct(r.width1pct()).setWidth5Pct(r.width5pct()).setMeanExcess(r.excess())
                .setExcessFinite(r.excessFinite()).setFirstDivergenceBelow(r.divergeBelow())
                .setFirstDivergenceAbove(r.divergeAbove()).setBestOnEdge(r.bestOnEdge())
                .setWidth1PctCensored(r.width1pctCensored()).setSeedMean(r.seedMean())
                .setSeedStd(r.seedStd()).setCi95(r.ci95()).setBestTrialId(r.bestTrialId());
        r.curve().forEach(p -> b.addCurve(LrPoint.newBuilder().setLr(p.value()).setLoss(p.loss()).setSeeds(p.seeds())
                .setDiverged(p.diverged())));
        return b.build();
    }

    public static ClaimVerdict claim(ClaimResult r) {
        return ClaimVerdict.newBuilder().setId(r.id()).setType(r.type()).setA(r.a()).setB(r.b()).setMetric(r.metric())
                .setMargin(r.margin())
                .setVerdict(r.verdict()).setEstimate(r.estimate()).setCiLow(r.ci()[0]).setCiHigh(r.ci()[1])
                .setCi90Low(r.ci90()[0]).setCi90High(r.ci90()[1]).setMarginNeeded(r.marginNeeded()).setMethod(r.method()).setPaired(r.paired()).setNA(r.nA()).setNB(r.nB())
                .setNPairs(r.nPairs()).setP(r.p()).setPHolm(r.pHolm()).setReason(r.reason()).build();
    }
}
