package org.optbench.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.optbench.cli.remote.ClientOptions;
import org.optbench.cli.remote.Connection;
import org.optbench.cli.remote.RemoteResults;
import org.optbench.cli.remote.SweepWatch;
import org.optbench.proto.v1.CreateSweepRequest;
import org.optbench.proto.v1.Results;
import org.optbench.proto.v1.Sweep;
import org.optbench.sweep.SweepReports;
import org.optbench.sweep.SweepSpec;
import org.optbench.sweep.SweepSpecParser;
import org.optbench.sweep.store.RunsDirectory;
import org.optbench.train.data.DefaultCorpus;
import org.optbench.train.run.DataSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code optbench study FILE}: the main job. Validates the sweep spec, submits it (to an
 * in-process server on the local store unless {@code --server} names one), follows its progress
 * to the end, prints the per-optimizer results and writes the HTML report. Running it again
 * resumes the same sweep. It is {@code sweep submit --watch} plus the results and the report.
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Run a sweep spec end to end: trials, results table, HTML report. Re-running resumes.")
final class StudyCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "the sweep spec (YAML or JSON), e.g. examples/quick.yaml")
    Path file;

    @Option(names = "--report-dir", description = "where the report goes (default: <runs-dir>/<sweep>/report)")
    Path reportDir;

    @Option(names = "--ui", arity = "0..1", paramLabel = "PORT", parameterConsumer = OptionalPort.class,
            description = "serve the live web dashboard of this study on 127.0.0.1 (on PORT, else on a free port) while it "
                    + "runs and after, until Ctrl-C, and print its login URL")
    Integer ui;

    /** Takes {@code --ui}'s port only when the next argument is a number, so {@code --ui SPEC} also reads as meant. */
    static final class OptionalPort implements picocli.CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(java.util.Stack<String> args, picocli.CommandLine.Model.ArgSpec option,
                                      CommandSpec command) {
            String next = args.isEmpty() ? null : args.peek();
            if (next != null && next.matches("-?\\d{1,9}")) {
                option.setValue(Integer.parseInt(args.pop()));
            } else {
                option.setValue(0);
            }
        }
    }

    @Mixin
    StudyStore where;

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (ui != null && client.server() != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ui serves the dashboard of a study run "
                    + "here; a server's study is on that server's dashboard (optbench server --http-port)");
        }
        if (ui != null) {
            checkPort(spec, "--ui", ui);
        }
        String text = Files.readString(file);
        SweepSpec sweep = SweepSpecParser.parse(text, file.toString());
        if (client.server() == null) {
            // fetched and prepared here, each step on a line of its own, before the progress line starts
            for (DataSpec.Tokenization t : sweep.defaultCorpora()) {
                DefaultCorpus.ensure(DefaultCorpus.root(), t, spec.commandLine().getOut());
            }
        }
        return run(sweep, file.toString(), where, client, reportDir, spec.commandLine().getOut(),
                spec.commandLine().getErr(), true, ui);
    }

    /** Refuses {@code port} of {@code option} unless it lies in [0, 65535] (0 picks a free one). */
    static void checkPort(CommandSpec spec, String option, int port) {
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), option + " " + port + ": a port lies in "
                    + "[0, 65535] (0 picks a free one)");
        }
    }

    /**
     * Submits {@code sweep}, follows it to the end and, with {@code summarise}, prints the table
     * and writes the report; with {@code ui} (a port, 0 for any) the embedded server serves the
     * dashboard meanwhile and, once the study is done, until Ctrl-C; its login URL is printed.
     */
    static int run(SweepSpec sweep, String label, StudyStore where, ClientOptions client, Path reportDir, PrintWriter out,
                   PrintWriter err, boolean summarise, Integer ui) throws Exception {
        try (Connection c = Clients.connect(client, where, ui)) {
            Sweep created = c.sweeps().createSweep(CreateSweepRequest.newBuilder().setYaml(sweep.text()).build());
            out.printf("study %s: %s, %d trials, server %s%n", created.getId(), label, created.getTrialsTotal(), c.target());
            if (ui != null) {
                out.println("dashboard: " + c.dashboardLoginUrl() + " (until Ctrl-C, after the study too)");
                out.flush();
            }
            Sweep done;
            try (InterruptHook interrupt = InterruptHook.install(c, created.getId(), err)) {
                done = new SweepWatch(out, System.console() != null).follow(c, created.getId());
            }
            if (done != null && done.getState() == org.optbench.proto.v1.SweepState.SWEEP_STATE_CANCELLED) {
                out.println("sweep " + created.getId() + " was cancelled");
            }
            if (!summarise) {
                return 0;
            }
            Results results = Clients.results(c, created.getId(), true);
            out.println(ResultsTable.table(results));
            Path dir = reportDir != null ? reportDir : new RunsDirectory(where.runs()).resolve(created.getId(), "report");
            out.println("report: " + SweepReports.write(RemoteResults.of(results), dir));
            Clients.printFailures(results, out, c.isEmbedded());
            if (ui != null) {
                out.println("the study is done; the dashboard keeps serving at " + c.dashboardLoginUrl() + " until Ctrl-C");
                out.flush();
                new java.util.concurrent.CountDownLatch(1).await();
            }
        }
        return 0;
    }
}
