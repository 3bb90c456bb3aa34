package org.optbench.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optbench.train.run.RunJson;

/**
 * The schema of the files a run writes and the sweep reads back, in one place: the metrics file
 * (one JSON object per line; a step is {@code step, tokens, loss, lr, grad_norm, ms}, an
 * evaluation {@code step, val_loss, val_bpb, val_tokens}) and the result file (one
 * {@link RunSummary} as JSON).
 */
public final class RunFiles {

    /** A run's logged steps and evaluations, in file order. */
    public record Metrics(List<StepRecord> steps, List<EvalRecord> evals) {
    }

    private RunFiles() {
    }

    /** The metrics line of a step. */
    public static String stepLine(StepRecord r) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", r.step());
        line.put("tokens", r.tokens());
        line.put("loss", r.loss());
        line.put("lr", r.lr());
        line.put("grad_norm", r.gradNorm());
        line.put("ms", r.millis());
        return RunJson.write(line);
    }

    /** The metrics line of an evaluation. */
    public static String evalLine(EvalRecord e) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", e.step());
        line.put("val_loss", e.valLoss());
        line.put("val_bpb", Double.isNaN(e.valBitsPerByte()) ? null : e.valBitsPerByte());
        line.put("val_tokens", e.tokens());
        return RunJson.write(line);
    }

    /** Reads a metrics file (empty when it does not exist). */
    public static Metrics readMetrics(Path file) throws IOException {
        List<StepRecord> steps = new ArrayList<>();
        List<EvalRecord> evals = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = RunJson.parse(line);
                if (n.has("val_loss")) {
                    evals.add(new EvalRecord(n.get("step").asInt(), n.get("val_loss").asDouble(),
                            n.path("val_bpb").isNumber() ? n.get("val_bpb").asDouble() : Double.NaN,
                            n.path("val_tokens").asLong()));
                } else {
                    steps.add(new StepRecord(n.get("step").asInt(), n.path("tokens").asLong(), n.path("loss").asDouble(),
                            n.path("lr").asDouble(), n.path("grad_norm").asDouble(), n.path("ms").asDouble()));
                }
            }
        }
        return new Metrics(steps, evals);
    }

    /** Drops the lines logged after {@code step} (a resumed run logs them again). */
    public static void keepMetricsUpTo(Path file, int step) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && RunJson.parse(line).path("step").asInt() <= step) {
                kept.add(line);
            }
        }
        Files.write(file, kept);
    }

    /** The result as one line of JSON. */
    public static String resultJson(RunSummary summary) {
        return RunJson.write(summary);
    }

    /** A result written by {@link #resultJson}. */
    public static RunSummary parseResult(String json) {
        return RunJson.read(json, RunSummary.class, "result");
    }

    /** Writes the result file. */
    public static void writeResult(Path file, RunSummary summary) {
        try {
            Files.writeString(file, resultJson(summary) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the result " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the result file. */
    public static RunSummary readResult(Path file) throws IOException {
        return parseResult(Files.readString(file));
    }
}
