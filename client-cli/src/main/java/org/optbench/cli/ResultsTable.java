package org.optbench.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.List;
import java.util.Locale;
import org.optbench.proto.v1.Results;
import org.optbench.proto.v1.Trial;
import org.optbench.server.wire.Protos;
import org.optbench.sweep.report.FindingsText;
import org.optbench.sweep.report.ReportWriter;
import org.optbench.sweep.store.TrialRecord;

/** A sweep's results as text: the findings table, CSV of every trial, or the API's JSON. */
final class ResultsTable {

    private ResultsTable() {
    }

    /** The findings of the results (claims, per-optimizer table, tests, warnings), computed here from the trials and spec. */
    static String table(Results r) {
        List<TrialRecord> trials = r.getTrialsList().stream().map(Protos::record).toList();
        return FindingsText.of(ReportWriter.findings(r.getSweep().getSpec(), trials));
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
