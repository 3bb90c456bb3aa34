package org.optbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.optbench.cli.remote.ClientOptions;
import org.optbench.cli.remote.Connection;
import org.optbench.proto.v1.GetResultsRequest;
import org.optbench.proto.v1.Results;
import org.optbench.proto.v1.Trial;
import org.optbench.server.Protos;
import org.optbench.sweep.exec.TrialExecutors;
import org.optbench.sweep.report.ReportWriter;
import org.optbench.sweep.store.MetricRow;
import org.optbench.sweep.store.TrialRecord;

/** Opening the connection the sweep commands share, and what they build from a sweep's results. */
final class Clients {

    private Clients() {
    }

    /** A connection to {@code --server}, or an embedded server on the local store when none is given. */
    static Connection connect(ClientOptions client, StudyStore where) throws IOException {
        if (client.server() != null) {
            return Connection.remote(client);
        }
        return Connection.embedded(where.open(), where.runs(), TrialExecutors.of(WorkerLaunch.program()),
                where.threadsPerTrial, client.deadlineSeconds());
    }

    static Results results(Connection c, String sweepId, boolean curves) {
        return c.sweeps().getResults(GetResultsRequest.newBuilder().setSweepId(sweepId).setCurves(curves).build());
    }

    /** Writes the HTML report (plots, tables, CSV, JSON) of fetched results into {@code dir}. */
    static Path writeReport(Results results, Path dir) throws IOException {
        List<TrialRecord> trials = results.getTrialsList().stream().map(Protos::record).toList();
        Map<String, List<MetricRow>> evals = results.getTrialsList().stream().collect(Collectors.toMap(Trial::getId,
                t -> t.getEvalsList().stream().map(m -> Protos.row(m, "eval")).toList()));
        return ReportWriter.write(results.getSweep().getId(), results.getSweep().getSpec(), trials,
                id -> evals.getOrDefault(id, List.of()), dir);
    }

    static void printFailures(Results results, PrintWriter out, boolean local) {
        long failed = results.getTrialsList().stream().filter(t -> t.getState() == org.optbench.proto.v1.TrialState.TRIAL_STATE_FAILED)
                .count();
        if (failed > 0) {
            out.println(failed + " trial(s) failed; their errors are in the report" + (local ? " and in runs/"
                    + results.getSweep().getId() + "/<trial>/log.txt" : "") + "; running the sweep again retries them");
        }
    }
}
