package org.optbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.optbench.sweep.analysis.SweepAnalysis;
import org.optbench.sweep.report.ReportWriter;
import org.optbench.sweep.store.TrialStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code optbench report SWEEP -o DIR}: the HTML report, plots, CSV and JSON of a stored sweep. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Write a sweep's report from the trial store.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "the sweep (its name)")
    String sweep;

    @Option(names = {"-o", "--out"}, required = true, description = "output directory")
    Path out;

    @Mixin
    StudyStore where;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (TrialStore store = where.open()) {
            store.sweepSpec(sweep);
            var trials = store.trials(sweep);
            long[] facts = StudyStore.modelFacts(trials);
            Path report = ReportWriter.write(store, sweep, (int) facts[0], facts[1], out);
            spec.commandLine().getOut().println(StudyCommand.table(SweepAnalysis.summarize(trials, (int) facts[0], facts[1])));
            spec.commandLine().getOut().println("report: " + report);
        }
        return 0;
    }
}
