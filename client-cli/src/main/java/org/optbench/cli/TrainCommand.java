package org.optbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.optbench.optim.ParamGroup;
import org.optbench.train.EvalRecord;
import org.optbench.train.Run;
import org.optbench.train.RunFiles;
import org.optbench.train.RunListener;
import org.optbench.train.RunSummary;
import org.optbench.train.StepRecord;
import org.optbench.train.data.LocalDataCatalog;
import org.optbench.train.run.RunContext;
import org.optbench.train.run.RunPlan;
import org.optbench.train.run.RunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optbench train}: one training run, any optimizer or hybrid of the suite. Its flags are
 * the run keys ({@link RunOptions}, from the {@code RunKeys} registry), which this command maps to
 * a {@link RunSpec} (a {@code --config} file first, flags over it) and hands to {@link Run}. It
 * prints a header, progress, and as its last line the result as JSON; a diverged run is a result
 * with exit code 0.
 */
@Command(name = "train", mixinStandardHelpOptions = true, modelTransformer = RunOptions.AllKeys.class,
        description = "Train a model with any optimizer of the suite; evaluates, checkpoints, resumes.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", description = "YAML/JSON file of run settings (the flags' names without dashes, "
            + "d_model or d-model); flags override it")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        RunSpec.Builder builder = RunSpec.builder();
        if (config != null) {
            RunOptions.applyFile(builder, config);
        }
        RunOptions.applyFlags(builder, spec.commandLine().getParseResult());
        RunSpec run = builder.build();
        long start = System.nanoTime();
        RunSummary summary = train(run, RunContext.inThisJvm(LocalDataCatalog.standard()), spec.commandLine().getOut(), r -> { });
        spec.commandLine().getErr().println(summaryLine(summary, run, (System.nanoTime() - start) / 1e9));
        return 0;
    }

    /**
     * The run in one line for people, printed on stderr after the result so that the result stays
     * the last line of stdout: how it ended, the final and best validation loss, tokens/s, the
     * wall time and where the files are.
     */
    static String summaryLine(RunSummary s, RunSpec run, double seconds) {
        StringBuilder line = new StringBuilder(s.divergedAtStep() == null
                ? String.format(java.util.Locale.ROOT, "done: %s %,d steps", s.status(), s.steps())
                : String.format(java.util.Locale.ROOT, "done: diverged at step %,d of %,d", s.divergedAtStep(),
                        s.config().steps()));
        if (s.finalValLoss() != null) {
            line.append(String.format(java.util.Locale.ROOT, ", val_loss %.4f (best %.4f)", s.finalValLoss(),
                    s.bestValLoss()));
        }
        line.append(String.format(java.util.Locale.ROOT, ", %,d tok/s, %.1f s", s.tokensPerS(), seconds));
        java.util.List<String> files = new java.util.ArrayList<>();
        if (run.output().metrics() != null) {
            files.add("metrics " + run.output().metrics());
        }
        if (run.output().result() != null) {
            files.add("result " + run.output().result());
        }
        if (run.output().weights() != null) {
            files.add("weights " + run.output().weights());
        }
        if (run.checkpoint().interval(s.config().steps()) > 0) {
            files.add("checkpoints " + run.checkpoint().dir());
        }
        line.append(files.isEmpty() ? "; no files written (see --metrics-out, --result-out, --save-weights)"
                : "; " + String.join(", ", files));
        return line.toString();
    }

    /**
     * Runs {@code run} in this JVM, validated against {@code context}, printing its header,
     * progress and result line to {@code out}; {@code observer} is also told of every step and
     * evaluation (a sweep worker's reporter).
     */
    static RunSummary train(RunSpec run, RunContext context, PrintWriter out, RunListener observer) {
        try (Run training = Run.open(run, context, out)) {
            RunPlan plan = training.plan();
            out.printf("train %s (%,d parameters) on %s, batch %d x %d%s, %d steps, %s, %s%n", run.model().preset(),
                    training.parameterCount(), training.dataLabel(), plan.batch(), plan.model().seqLen(),
                    plan.microBatch() < plan.batch() ? " (micro-batch " + plan.microBatch() + ")" : "", plan.steps(),
                    run.optimizer().name(), training.device());
            for (ParamGroup g : training.groups()) {
                out.printf("  group %-10s %-9s %3d tensors  %s%n", g.name(), g.kind(), g.parameters().size(),
                        g.hyperparameters());
            }
            if (training.firstStep() > 1) {
                out.printf("resuming after step %d from %s%n", training.firstStep() - 1, run.checkpoint().resume());
            }
            observer.onPlan(plan.steps());
            Progress progress = new Progress(out, plan.steps(), run.output().logEvery(), System.console() != null);
            RunSummary summary = training.execute(new RunListener() {
                @Override
                public void onStep(StepRecord r) {
                    progress.step(r);
                    observer.onStep(r);
                }

                @Override
                public void onEval(EvalRecord e) {
                    progress.eval(e);
                    observer.onEval(e);
                }
            });
            progress.finish();
            out.println(RunFiles.resultJson(summary));
            return summary;
        }
    }
}
