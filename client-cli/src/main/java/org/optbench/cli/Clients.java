package org.optbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import org.optbench.cli.remote.ClientOptions;
import org.optbench.cli.remote.Connection;
import org.optbench.proto.v1.GetResultsRequest;
import org.optbench.proto.v1.Results;
import org.optbench.sweep.exec.TrialExecutors;

/** Opening the connection the sweep commands share, and what they build from a sweep's results. */
final class Clients {

    private Clients() {
    }

    /** A connection to {@code --server}, or an embedded server on the local store when none is given. */
    static Connection connect(ClientOptions client, StudyStore where) throws IOException {
        return connect(client, where, null);
    }

    /**
     * As {@link #connect(ClientOptions, StudyStore)}; the embedded server also serves the web
     * dashboard on {@code dashboardPort} (0: any free port) unless it is null.
     */
    static Connection connect(ClientOptions client, StudyStore where, Integer dashboardPort) throws IOException {
        if (client.server() != null) {
            return Connection.remote(client);
        }
        return Connection.embedded(where.open(), where.runs(), TrialExecutors.of(WorkerLaunch.program()),
                where.threadsPerTrial, client.deadlineSeconds(), dashboardPort);
    }

    static Results results(Connection c, String sweepId, boolean curves) {
        return c.sweeps().getResults(GetResultsRequest.newBuilder().setSweepId(sweepId).setCurves(curves).build());
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
