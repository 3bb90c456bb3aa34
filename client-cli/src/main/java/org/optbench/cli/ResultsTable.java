package org.optbench.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.List;
import org.optbench.cli.remote.RemoteResults;
import org.optbench.proto.v1.Results;
import org.optbench.sweep.SweepReports;
import org.optbench.sweep.report.FindingsText;
import org.optbench.sweep.report.RunTable;
import org.optbench.sweep.store.TrialRecord;

/** A sweep's results as text: the findings table, CSV of every trial, or the API's JSON. */
final class ResultsTable {

    private ResultsTable() {
    }

    /** The findings of the results (claims, per-optimizer table, tests, warnings), computed here from the trials and spec. */
    static String table(Results r) {
        List<TrialRecord> trials = r.getTrialsList().stream().map(RemoteResults::record).toList();
        return FindingsText.of(SweepReports.findings(r.getSweep().getSpec(), trials));
    }

    /** Every trial as the table of runs {@code analyze} reads: one column per swept setting. */
    static String csv(Results r) {
        return RunTable.csv(r.getTrialsList().stream().map(RemoteResults::record).toList());
    }

    static String json(Results r) {
        try {
            return JsonFormat.printer().print(r);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("results cannot be printed as JSON: " + e.getMessage(), e);
        }
    }
}
