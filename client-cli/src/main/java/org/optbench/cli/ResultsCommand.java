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
 * {@code optbench results ID [--format table|trials|csv|json] [--download DIR]}: a sweep's
 * per-optimizer analysis, every trial as a table, as CSV (one column per swept setting) or
 * everything as JSON ({@link ResultsJson}), and with {@code --download} every file its trials offer (results,
 * metrics, logs, checkpoints, weights) copied from the server into DIR/&lt;trial&gt;/.
 */
@Command(name = "results", mixinStandardHelpOptions = true, description = "Print a sweep's results: the per-optimizer "
        + "summary, every trial as a table or as CSV, or everything as JSON.")
final class ResultsCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "the sweep: its name (yours) or its id")
    String id;

    @Option(names = "--download", paramLabel = "DIR", description = "also copy every trial's files (result, metrics, log, "
            + "checkpoint, weights) from the server into DIR/<trial>/")
    Path download;

    /** What {@code --format} prints. */
    enum Format { table, trials, csv, json }

    @Option(names = "--format", defaultValue = "table", description = "table (the per-optimizer summary), trials (every "
            + "trial as a table), csv (every trial, one column per setting) or json (everything); default ${DEFAULT-VALUE}")
    Format format;

    @Mixin
    StudyStore where;

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = Clients.connect(client, where)) {
            Results r = Clients.results(c, id, format == Format.json);
            out.print(switch (format) {
                case trials -> ResultsTable.trials(r);
                case csv -> ResultsTable.csv(r);
                case json -> ResultsTable.json(r) + "\n";
                case table -> "sweep " + r.getSweep().getName() + ": the per-optimizer summary (every trial: --format "
                        + "trials, csv or json)\n\n" + ResultsTable.table(r);
            });
            if (download != null) {
                new ArtifactDownload(c).all(r.getSweep().getId(), download, out);
            }
        }
        out.flush();
        return 0;
    }
}
