package org.optbench.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.optbench.sweep.SweepRunner;
import org.optbench.sweep.SweepSpec;
import org.optbench.sweep.SweepSpecParser;
import org.optbench.sweep.analysis.OptimizerSummary;
import org.optbench.sweep.analysis.SweepAnalysis;
import org.optbench.sweep.exec.LocalExecutor;
import org.optbench.sweep.report.ReportWriter;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.store.TrialStore;
import org.optbench.train.data.DefaultCorpus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code optbench study FILE}: the main job. Validates the sweep spec, fetches and prepares the
 * default data if the spec uses it, runs every trial as a child process (resuming the same sweep
 * when run again), shows progress, prints the per-optimizer results and writes the HTML report.
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Run a sweep spec end to end: trials, results table, HTML report. Re-running resumes.")
final class StudyCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "the sweep spec (YAML or JSON), e.g. examples/quick.yaml")
    Path file;

    @Mixin
    StudyStore where;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SweepSpec sweep = SweepSpecParser.parse(Files.readString(file), file.toString());
        return run(sweep, file.toString(), where, spec.commandLine().getOut());
    }

    /** Runs (or resumes) {@code sweep}: trials, results table, report. Shared with {@code sweep resume}. */
    static int run(SweepSpec sweep, String label, StudyStore where, PrintWriter out)
            throws Exception {
        if (!sweep.trainOptions().containsKey("data") || sweep.trainOptions().get("data").equals("default")) {
            DefaultCorpus.ensure(DefaultCorpus.root(), out);
        }
        int threads = where.threadsPerTrial != null ? where.threadsPerTrial
                : Math.max(1, Runtime.getRuntime().availableProcessors() / sweep.parallel());
        Path runs = where.runs();
        try (TrialStore store = where.open();
             LocalExecutor executor = new LocalExecutor(workerCommand())) {
            SweepRunner runner = new SweepRunner(store, executor, runs, threads);
            out.printf("study %s: %s, store %s%n", sweep.name(), label, store.url());
            long start = System.nanoTime();
            boolean terminal = System.console() != null;
            int[] lastDone = {-1};
            runner.run(sweep, trials -> {
                int done = (int) trials.stream().filter(t -> t.status().isFinished()).count();
                if (!terminal && done == lastDone[0]) {
                    return;
                }
                lastDone[0] = done;
                out.print((terminal ? "\r" : "") + progress(trials, start) + (terminal ? " " : "\n"));
                out.flush();
            });
            if (terminal) {
                out.println();
            }
            List<TrialRecord> trials = store.trials(sweep.name());
            long[] facts = StudyStore.modelFacts(trials);
            out.println(table(SweepAnalysis.summarize(trials, (int) facts[0], facts[1])));
            Path report = ReportWriter.write(store, sweep.name(), (int) facts[0], facts[1],
                    runs.resolve(sweep.name()).resolve("report"));
            out.println("report: " + report);
            long failed = trials.stream().filter(t -> t.status() == TrialStatus.FAILED).count();
            if (failed > 0) {
                out.println(failed + " trial(s) failed; their errors are in the report and in runs/" + sweep.name()
                        + "/<trial>/log.txt; running the study again retries them");
            }
        }
        return 0;
    }

    /** The command that runs a trial: this JVM's java, modules and classpath, then "worker". */
    private static List<String> workerCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("worker");
        return cmd;
    }

    private static String progress(List<TrialRecord> trials, long start) {
        int done = 0;
        int running = 0;
        int diverged = 0;
        int failed = 0;
        for (TrialRecord t : trials) {
            switch (t.status()) {
                case COMPLETED -> done++;
                case DIVERGED -> {
                    done++;
                    diverged++;
                }
                case FAILED, CANCELLED -> {
                    done++;
                    failed++;
                }
                case RUNNING -> running++;
                default -> { }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int left = trials.size() - done;
        String eta = done == 0 ? "--:--" : String.format(Locale.ROOT, "%02d:%02d",
                (long) (seconds / done * left) / 60, (long) (seconds / done * left) % 60);
        String best = trials.stream().filter(t -> t.status() == TrialStatus.COMPLETED && t.finalValLoss() != null)
                .min((a, b) -> Double.compare(a.finalValLoss(), b.finalValLoss()))
                .map(t -> String.format(Locale.ROOT, "  best %s lr=%s %.4f", t.optimizer(), t.params().get("lr"), t.finalValLoss()))
                .orElse("");
        return String.format(Locale.ROOT, "trials %d/%d done (%d diverged, %d failed), %d running, %d pending  ETA %s%s",
                done, trials.size(), diverged, failed, running, left - running, eta, best);
    }

    static String table(List<OptimizerSummary> summaries) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%-22s %7s %9s %10s %10s %10s %9s %9s%n",
                "optimizer", "trials", "diverged", "best loss", "best lr", "width0.1", "excess1d", "B/param"));
        for (OptimizerSummary s : summaries) {
            t.append(String.format(Locale.ROOT, "%-22s %7d %9d %10.4f %10.3g %10.2f %9.4f %9.2f%n", s.optimizer(), s.trials(),
                    s.diverged(), s.bestLoss(), s.bestLr(), s.width01(), s.meanExcess(), s.stateBytesPerParam()));
        }
        return t.toString();
    }
}
