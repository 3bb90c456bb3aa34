package org.optbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.optbench.cli.remote.ProgressReporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code optbench worker DIR}: runs one sweep trial, the training run described by
 * {@code DIR/trial.json}, writing {@code metrics.jsonl}, {@code result.json} and checkpoints
 * (every quarter of the run) into DIR. When DIR holds a checkpoint, the run resumes from it and
 * the metrics logged after it are dropped first, so no step is counted twice. When the trial file
 * names a server, steps, evaluations and the result are also reported to it over gRPC with the
 * attempt's token.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, hidden = true,
        description = "Run one sweep trial from its directory (started by the sweep runner).")
final class WorkerCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", description = "the trial directory")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        JsonNode trial = JSON.readTree(dir.resolve("trial.json").toFile());
        List<String> args = new ArrayList<>();
        trial.path("args").forEach(a -> args.add(a.asText()));
        int steps = stepsOf(args);
        Path checkpoint = dir.resolve("checkpoint");
        Path metrics = dir.resolve("metrics.jsonl");
        args.addAll(List.of("--metrics-out", metrics.toString(), "--result-out", dir.resolve("result.json").toString(),
                "--checkpoint-dir", checkpoint.toString(), "--checkpoint-every", Integer.toString(Math.max(1, steps / 4))));
        Files.deleteIfExists(dir.resolve("result.json"));
        if (Files.isRegularFile(checkpoint.resolve("state.json"))) {
            int saved = JSON.readTree(checkpoint.resolve("state.json").toFile()).path("step").asInt();
            keepMetricsUpTo(metrics, saved);
            args.addAll(List.of("--resume", checkpoint.toString()));
        } else {
            Files.deleteIfExists(metrics);
        }
        PrintWriter out = spec.commandLine().getOut();
        JsonNode report = trial.path("report");
        if (report.isMissingNode()) {
            return Main.run(args.toArray(String[]::new), out, spec.commandLine().getErr());
        }
        try (ProgressReporter reporter = new ProgressReporter(report.path("server").asText(), report.path("token").asText(),
                trial.path("id").asText(), trial.path("attempt").asInt())) {
            int code = Main.runTraining(args.toArray(String[]::new), out, spec.commandLine().getErr(), reporter);
            Path result = dir.resolve("result.json");
            if (code == 0 && Files.isRegularFile(result)) {
                reporter.result(JSON.readTree(result.toFile()));
            }
            return code;
        }
    }

    private static int stepsOf(List<String> args) {
        int i = args.indexOf("--steps");
        return i >= 0 && i + 1 < args.size() ? Integer.parseInt(args.get(i + 1)) : 100;
    }

    private static void keepMetricsUpTo(Path metrics, int step) throws IOException {
        if (!Files.isRegularFile(metrics)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            if (!line.isBlank() && JSON.readTree(line).path("step").asInt() <= step) {
                kept.add(line);
            }
        }
        Files.write(metrics, kept);
    }
}
