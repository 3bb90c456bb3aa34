package org.optbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.optbench.cli.remote.ProgressReporter;
import org.optbench.sweep.TrialFile;
import org.optbench.train.Checkpoint;
import org.optbench.train.RunFiles;
import org.optbench.train.RunSummary;
import org.optbench.train.data.LocalDataCatalog;
import org.optbench.train.run.RunContext;
import org.optbench.train.run.RunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code optbench worker DIR}: runs one sweep trial, the {@link RunSpec} of {@code DIR/trial.json},
 * with its files in DIR: {@code metrics.jsonl}, {@code result.json} and the checkpoint (at the
 * cadence the spec gives). When DIR holds a checkpoint, the run resumes from it and the metrics
 * logged after it are dropped first, so no step is counted twice. When the trial file names a
 * server, steps, evaluations and the result are also reported to it over gRPC with the attempt's
 * token; a resumed attempt first replays the rows kept from before its checkpoint, which the server
 * may have missed while it was down. The run's memory is checked against the heap it was
 * validated against at submission. A worker ignores SIGINT: Ctrl-C in the terminal of a study
 * reaches every process of its group, and the study, not each worker, decides what happens to a
 * trial (it stops its workers and keeps the trial to resume).
 */
@Command(name = "worker", mixinStandardHelpOptions = true, hidden = true,
        description = "Run one sweep trial from its directory (started by the sweep runner).")
final class WorkerCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "the trial directory")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
        TrialFile trial = TrialFile.read(dir);
        Path checkpoint = dir.resolve("checkpoint");
        Path metrics = dir.resolve("metrics.jsonl");
        Path result = dir.resolve("result.json");
        RunSpec.Builder run = trial.run().toBuilder().metrics(metrics).result(result).checkpointDir(checkpoint)
                .weights(trial.saveWeights() ? dir.resolve("weights.safetensors") : null);
        Files.deleteIfExists(result);
        if (Files.isRegularFile(checkpoint.resolve("state.json"))) {
            RunFiles.keepMetricsUpTo(metrics, Checkpoint.state(checkpoint).path("step").asInt());
            run.resume(checkpoint);
        } else {
            Files.deleteIfExists(metrics);
        }
        PrintWriter out = spec.commandLine().getOut();
        RunContext context = trial.heapBytes() > 0 ? new RunContext(trial.heapBytes(), "give trials more heap",
                LocalDataCatalog.standard()) : RunContext.inThisJvm(LocalDataCatalog.standard());
        if (trial.report() == null) {
            TrainCommand.train(run.build(), context, out, r -> { });
            return 0;
        }
        try (ProgressReporter reporter = new ProgressReporter(trial.report().server(), trial.report().token(), trial.id(),
                trial.attempt(), trial.report().trustPem())) {
            reporter.replay(RunFiles.readMetrics(metrics));
            RunSummary summary = TrainCommand.train(run.build(), context, out, reporter);
            reporter.result(summary);
            return 0;
        }
    }
}
