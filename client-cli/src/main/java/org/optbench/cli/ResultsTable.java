package org.optbench.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.Locale;
import org.optbench.proto.v1.OptimizerSummary;
import org.optbench.proto.v1.Results;
import org.optbench.proto.v1.Trial;

/** A sweep's results as text: the per-optimizer table, CSV of every trial, or the API's JSON. */
final class ResultsTable {

    private ResultsTable() {
    }

    static String table(Results r) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%-22s %7s %9s %10s %10s %9s %9s %9s %9s%n",
                "optimizer", "trials", "diverged", "best loss", "best lr", "width.02", "width0.1", "excess1d", "B/param"));
        for (OptimizerSummary s : r.getOptimizersList()) {
            t.append(String.format(Locale.ROOT, "%-22s %7d %9d %10.4f %10.3g %9.2f %9.2f %9.4f %9.2f%n", s.getOptimizer(),
                    s.getTrials(), s.getDiverged(), s.getBestLoss(), s.getBestLr(), s.getWidth002(), s.getWidth01(),
                    s.getMeanExcess(), s.getStateBytesPerParam()));
            if (s.getCurveList().stream().anyMatch(p -> p.getSeeds() > 1)) {
                t.append(String.format(Locale.ROOT, "%-22s seeds at best lr: mean %.4f, std %.4f, 95%% CI +-%.4f%n", "",
                        s.getSeedMean(), s.getSeedStd(), s.getCi95()));
            }
        }
        return t.toString();
    }

    static String csv(Results r) {
        StringBuilder t = new StringBuilder("trial,optimizer,params,seed,state,final_val_loss,diverged_at_step,attempts,"
                + "state_bytes,error\n");
        for (Trial x : r.getTrialsList()) {
            t.append(String.join(",", x.getId(), x.getOptimizer(), quote(new java.util.TreeMap<>(x.getParamsMap()).toString()),
                    Long.toString(x.getSeed()), x.getState().name().substring("TRIAL_STATE_".length()).toLowerCase(Locale.ROOT),
                    x.hasFinalValLoss() ? Double.toString(x.getFinalValLoss()) : "",
                    x.hasDivergedAtStep() ? Integer.toString(x.getDivergedAtStep()) : "", Integer.toString(x.getAttempts()),
                    Long.toString(x.getStateBytes()), quote(x.getError()))).append('\n');
        }
        return t.toString();
    }

    static String json(Results r) {
        try {
            return JsonFormat.printer().print(r);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("results cannot be printed as JSON: " + e.getMessage(), e);
        }
    }

    private static String quote(String s) {
        return s.isEmpty() ? "" : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
