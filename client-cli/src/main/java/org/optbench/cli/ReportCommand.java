package org.optbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.optbench.cli.remote.ClientOptions;
import org.optbench.cli.remote.Connection;
import org.optbench.cli.remote.RemoteResults;
import org.optbench.proto.v1.Results;
import org.optbench.sweep.SweepReports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code optbench report SWEEP -o DIR}: the HTML report, plots, CSV and JSON of a sweep, local or on a server. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Write a sweep's HTML report, plots, CSV and JSON.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "the sweep (its name)")
    String sweep;

    @Option(names = {"-o", "--out"}, required = true, description = "output directory")
    Path out;

    @Mixin
    StudyStore where;

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Connection c = Clients.connect(client, where)) {
            Results results = Clients.results(c, sweep, true);
            spec.commandLine().getOut().println(ResultsTable.table(results));
            spec.commandLine().getOut().println("report: " + SweepReports.write(RemoteResults.of(results), out));
        }
        return 0;
    }
}
