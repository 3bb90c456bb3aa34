package org.optbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.optbench.cli.remote.ClientOptions;
import org.optbench.cli.remote.Connection;
import org.optbench.proto.v1.Results;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code optbench results ID [--format table|csv|json] [--download DIR]}: a sweep's per-optimizer
 * analysis and trial results, and with {@code --download} every file its trials offer (results,
 * metrics, logs, checkpoints, weights) copied from the server into DIR/&lt;trial&gt;/.
 */
@Command(name = "results", mixinStandardHelpOptions = true, description = "Print a sweep's results: the per-optimizer "
        + "table, every trial as CSV, or everything as JSON.")
final class ResultsCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "the sweep: its name (yours) or its id")
    String id;

    @Option(names = "--download", paramLabel = "DIR", description = "also copy every trial's files (result, metrics, log, "
            + "checkpoint, weights) from the server into DIR/<trial>/")
    Path download;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default ${DEFAULT-VALUE})")
    String format;

    @Mixin
    StudyStore where;

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("table") && !format.equals("csv") && !format.equals("json")) {
            throw new IllegalArgumentException("--format '" + format + "' must be table, csv or json");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = Clients.connect(client, where)) {
            Results r = Clients.results(c, id, !format.equals("table"));
            out.print(switch (format) {
                case "csv" -> ResultsTable.csv(r);
                case "json" -> ResultsTable.json(r) + "\n";
                default -> ResultsTable.table(r);
            });
            if (download != null) {
                new ArtifactDownload(c).all(r.getSweep().getId(), download, out);
            }
        }
        out.flush();
        return 0;
    }
}
