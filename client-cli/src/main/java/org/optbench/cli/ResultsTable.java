package org.optbench.cli;

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

    /** Every trial as a table for the terminal, one column per swept setting. */
    static String trials(Results r) {
        return RunTable.text(r.getTrialsList().stream().map(RemoteResults::record).toList());
    }

    /** Every trial as the table of runs {@code analyze} reads: one column per swept setting. */
    static String csv(Results r) {
        return RunTable.csv(r.getTrialsList().stream().map(RemoteResults::record).toList());
    }

    /** Everything as JSON for pandas and jq ({@link ResultsJson}: numbers as numbers, states in lower case). */
    static String json(Results r) {
        return ResultsJson.of(r);
    }
}
