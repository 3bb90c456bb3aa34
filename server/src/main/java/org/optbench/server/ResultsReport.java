package org.optbench.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.optbench.proto.v1.Results;
import org.optbench.proto.v1.Trial;
import org.optbench.sweep.report.ReportWriter;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.TrialRecord;

/**
 * The HTML report of a sweep built from its fetched {@link Results} (with curves) rather than
 * from the store: what the CLI writes for a remote sweep and what the dashboard serves, so both
 * see only what the API let their caller see.
 */
public final class ResultsReport {

    private ResultsReport() {
    }

    /** Writes the report (plots, tables, CSV, JSON) of {@code results} into {@code dir}; returns the HTML file. */
    public static Path write(Results results, Path dir) throws IOException {
        List<TrialRecord> trials = results.getTrialsList().stream().map(Protos::record).toList();
        Map<String, List<MetricRow>> evals = results.getTrialsList().stream().collect(Collectors.toMap(Trial::getId,
                t -> t.getEvalsList().stream().map(m -> Protos.row(m, "eval")).toList()));
        return ReportWriter.write(results.getSweep().getId(), results.getSweep().getSpec(), trials,
                id -> evals.getOrDefault(id, List.of()), dir);
    }
}
