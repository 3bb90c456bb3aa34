package org.optbench.server.wire;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optbench.proto.v1.ClaimVerdict;
import org.optbench.proto.v1.LrPoint;
import org.optbench.proto.v1.Metric;
import org.optbench.proto.v1.OptimizerSummary;
import org.optbench.proto.v1.Results;
import org.optbench.proto.v1.Sweep;
import org.optbench.proto.v1.SweepState;
import org.optbench.proto.v1.Trial;
import org.optbench.proto.v1.TrialState;
import org.optbench.sweep.analysis.ClaimResult;
import org.optbench.sweep.analysis.CurvePoint;
import org.optbench.sweep.analysis.Findings;
import org.optbench.sweep.analysis.OptimizerFindings;
import org.optbench.sweep.analysis.Stability;
import org.optbench.sweep.report.SweepResults;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.SweepRow;
import org.optbench.sweep.store.SweepStatus;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.SweptValue;

/** Conversions between the store's records and the API's messages. */
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
                .setOptimizer(t.optimizer()).setSeed(t.seed()).setState(state(t.status())).setAttempts(t.attempts());
        t.point().forEach((k, v) -> b.putParams(k, v.text()));
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

    /** The results as the report reads them: every trial with its evaluations. */
    public static SweepResults results(Results r) {
        Map<String, List<MetricRow>> evals = new LinkedHashMap<>();
        r.getTrialsList().forEach(t -> evals.put(t.getId(), t.getEvalsList().stream().map(m -> row(m, "eval")).toList()));
        return new SweepResults(r.getSweep().getId(), r.getSweep().getSpec(),
                r.getTrialsList().stream().map(Protos::record).toList(), evals);
    }

    /** The store's record of an API trial (what a client needs for analysis and reports). */
    public static TrialRecord record(Trial t) {
        java.util.Map<String, SweptValue> point = new java.util.LinkedHashMap<>();
        t.getParamsMap().forEach((k, v) -> point.put(k, SweptValue.parse(v)));
        return new TrialRecord(t.getId(), t.getSweepId(), t.getIndex(), "", t.getOptimizer(), Point.of(point), t.getSeed(),
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
    public static OptimizerSummary summary(OptimizerFindings s, Findings.Counts counts, double stateBytesPerParam) {
        OptimizerSummary.Builder b = OptimizerSummary.newBuilder().setOptimizer(s.optimizer()).setTrials(counts.trials())
                .setDiverged(counts.diverged()).setAxis(s.axis().name()).setStateBytesPerParam(stateBytesPerParam);
        if (s.isEmpty()) {
            return b.setBestLoss(Double.NaN).setBestLr(Double.NaN).build();
        }
        Stability st = s.stability();
        double[] seeds = s.bestSeeds();
        double[] ci = s.bestInterval();
        org.apache.commons.math3.stat.descriptive.SummaryStatistics stats =
                new org.apache.commons.math3.stat.descriptive.SummaryStatistics();
        for (double v : seeds) {
            stats.addValue(v);
        }
        b.setBestLoss(s.bestLoss()).setBestValue(s.best().value().text())
                .setBestLr(s.axis().name().equals("lr") && s.axis().numeric() ? s.axis().number(s.best().value()) : Double.NaN)
                .setWidth002(st.widths().get(org.optbench.sweep.analysis.Metric.WIDTH_002)).setWidth01(st.widths().get(org.optbench.sweep.analysis.Metric.WIDTH_01))
                .setWidth1Pct(st.widths().get(org.optbench.sweep.analysis.Metric.WIDTH_1PCT)).setWidth5Pct(st.widths().get(org.optbench.sweep.analysis.Metric.WIDTH_5PCT))
                .setMeanExcess(st.excess()).setExcessFinite(st.excessFinite())
                .setFirstDivergenceBelow(st.divergeBelow()).setFirstDivergenceAbove(st.divergeAbove())
                .setBestOnEdge(st.bestOnEdge()).setSeedMean(stats.getMean())
                .setSeedStd(seeds.length > 1 ? stats.getStandardDeviation() : Double.NaN)
                .setCi95(Double.isNaN(ci[0]) ? Double.NaN : (ci[1] - ci[0]) / 2)
                .setBestTrialId(s.best().trialIds().isEmpty() ? "" : s.best().trialIds().get(0));
        for (CurvePoint p : s.curve().points()) {
            b.addCurve(LrPoint.newBuilder().setLr(s.axis().numeric() && !Double.isNaN(p.x()) ? s.axis().number(p.value())
                    : p.x()).setLoss(p.mean(s.worst())).setSeeds(p.losses().length).setDiverged(p.diverged()));
        }
        return b.build();
    }

    public static ClaimVerdict claim(ClaimResult r) {
        return ClaimVerdict.newBuilder().setId(r.claim().id()).setType(r.claim().type().key()).setA(r.claim().aText())
                .setB(r.claim().bText()).setMetric(r.claim().metric().key()).setMargin(r.margin())
                .setVerdict(r.verdict()).setEstimate(r.estimate()).setCiLow(r.ci()[0]).setCiHigh(r.ci()[1]).setCi90Low(r.ci90()[0]).setCi90High(r.ci90()[1])
                .setMarginNeeded(r.marginNeeded()).setMethod(r.method()).setPaired(r.paired()).setNA(r.nA()).setNB(r.nB())
                .setNPairs(r.nPairs()).setP(r.p()).setPHolm(r.pHolm()).setReason(r.reason()).build();
    }
}
