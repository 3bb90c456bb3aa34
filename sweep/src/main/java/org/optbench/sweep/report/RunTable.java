package org.optbench.sweep.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStatus;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.SweptValue;

/**
 * A table of runs, one row per run: what {@code optbench results --format csv} and a report's
 * {@code trials.csv} write and {@code optbench analyze} reads, so that results from optbench or any
 * other tool (a W&amp;B or PyTorch export) are judged alike. The columns are {@link #RESULT_COLUMNS}
 * around one column per swept setting (empty where a run left it at its default). Read as CSV or as
 * JSON Lines (a file ending in {@code .jsonl} or {@code .ndjson}, or whose first character is
 * <code>{</code>), a table needs {@code optimizer}, {@code seed}, {@code state} and
 * {@code final_val_loss}; runs whose state is not {@code completed} or {@code diverged} are left
 * out and counted, and every column that is not a result column is a setting.
 */
public final class RunTable {

    /** The columns that say what a run gave, not how it was set; every other column is a setting. */
    public static final List<String> RESULT_COLUMNS = List.of("trial", "optimizer", "seed", "state", "final_val_loss",
            "best_val_loss", "diverged_at_step", "attempts", "state_bytes", "tokens_per_s", "device_name", "error",
            "executor_id", "started_at", "finished_at");

    /** The columns a table read by {@code analyze} must have. */
    public static final List<String> REQUIRED = List.of("optimizer", "seed", "state", "final_val_loss");

    private static final CsvMapper CSV = new CsvMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a table held: the runs that say something about an optimizer, and the rows left out by
     * their state.
     *
     * @param runs    completed and diverged runs
     * @param leftOut other states to the rows that had them
     */
    public record Read(List<TrialRecord> runs, Map<String, Integer> leftOut) {

        /** Rows left out in all. */
        public int leftOutCount() {
            return leftOut.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private RunTable() {
    }

    /** The trials as CSV: the result columns around one column per swept setting, sorted by name. */
    public static String csv(List<TrialRecord> trials) {
        List<String> header = header(trials);
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        header.forEach(schema::addColumn);
        try {
            StringWriter out = new StringWriter();
            CSV.writer(schema.build()).writeValues(out).writeAll(rows(trials, header)).close();
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException("the trials could not be written as CSV: " + e.getMessage(), e);
        }
    }

    /**
     * The trials as a table for a terminal, one row each under a header: the trial, its optimizer,
     * one column per swept setting, its seed, state, final loss, the step it diverged at and its
     * attempts.
     */
    public static String text(List<TrialRecord> trials) {
        List<String> all = header(trials);
        List<String> header = new ArrayList<>(all.subList(0, all.indexOf("seed")));
        header.addAll(List.of("seed", "state", "final_val_loss", "diverged_at_step", "attempts"));
        List<Map<String, String>> rows = rows(trials, all);
        rows.forEach(r -> r.computeIfPresent("final_val_loss", (k, v) -> v.isEmpty() ? "-"
                : String.format(java.util.Locale.ROOT, "%.4f", Double.parseDouble(v))));
        Map<String, Integer> widths = new LinkedHashMap<>();
        header.forEach(h -> widths.put(h, h.length()));
        rows.forEach(r -> header.forEach(h -> widths.merge(h, r.get(h).length(), Math::max)));
        StringBuilder t = new StringBuilder();
        java.util.function.Consumer<java.util.function.Function<String, String>> line = cell -> {
            StringBuilder l = new StringBuilder();
            header.forEach(h -> l.append(String.format("%-" + widths.get(h) + "s  ", cell.apply(h))));
            t.append(l.toString().stripTrailing()).append('\n');
        };
        line.accept(h -> h);
        rows.forEach(r -> line.accept(h -> r.get(h).isEmpty() ? "-" : r.get(h)));
        return t.toString();
    }

    /** The columns: trial and optimizer, one per swept setting (by name), then what each run gave. */
    private static List<String> header(List<TrialRecord> trials) {
        Set<String> settings = new TreeSet<>();
        trials.forEach(t -> settings.addAll(t.point().keys()));
        List<String> header = new ArrayList<>(List.of("trial", "optimizer"));
        header.addAll(settings);
        header.addAll(List.of("seed", "state", "final_val_loss", "diverged_at_step", "attempts", "state_bytes",
                "tokens_per_s", "device_name", "error", "executor_id"));
        return header;
    }

    private static List<Map<String, String>> rows(List<TrialRecord> trials, List<String> header) {
        List<String> settings = header.subList(2, header.indexOf("seed"));
        List<Map<String, String>> rows = new ArrayList<>();
        for (TrialRecord t : trials) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("trial", t.id());
            row.put("optimizer", t.optimizer());
            for (String k : settings) {
                SweptValue v = t.point().get(k);
                row.put(k, v == null ? "" : v.text());
            }
            JsonNode result = result(t);
            row.put("seed", Long.toString(t.seed()));
            row.put("state", t.status().label());
            row.put("final_val_loss", t.finalValLoss() == null ? "" : Double.toString(t.finalValLoss()));
            row.put("diverged_at_step", t.divergedAt() == null ? "" : Integer.toString(t.divergedAt()));
            row.put("attempts", Integer.toString(t.attempts()));
            row.put("state_bytes", t.stateBytes() == null ? "" : Long.toString(t.stateBytes()));
            row.put("tokens_per_s", result.has("tokens_per_s") ? result.get("tokens_per_s").asText() : "");
            row.put("device_name", result.path("device").asText(""));
            row.put("error", t.error() == null ? "" : t.error());
            row.put("executor_id", t.executorId() == null ? "" : t.executorId());
            rows.add(row);
        }
        return rows;
    }

    private static JsonNode result(TrialRecord t) {
        if (t.result() == null || t.result().isEmpty()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(t.result());
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    /** The runs of a CSV or JSON Lines file; a bad row or a missing column is a {@link RunTableException}. */
    public static Read read(Path file) throws IOException {
        String text = Files.readString(file);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean lines = name.endsWith(".jsonl") || name.endsWith(".ndjson") || text.stripLeading().startsWith("{");
        return lines ? jsonLines(file.toString(), text) : csv(file.toString(), text);
    }

    private static Read csv(String source, String text) {
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> columns;
        try (MappingIterator<Map<String, String>> it = CSV.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(text)) {
            while (it.hasNextValue()) {
                rows.add(it.nextValue());
            }
            CsvSchema schema = (CsvSchema) it.getParser().getSchema();
            columns = new ArrayList<>();
            schema.forEach(c -> columns.add(c.getName()));
        } catch (IOException | RuntimeException e) {
            throw new RunTableException(source + ": not a CSV table of runs: " + e.getMessage());
        }
        return runs(source, columns, rows);
    }

    private static Read jsonLines(String source, String text) {
        List<Map<String, String>> rows = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(lines[i]);
            } catch (JsonProcessingException e) {
                throw new RunTableException(source + ": line " + (i + 1) + " is not JSON: " + e.getOriginalMessage());
            }
            if (n == null || !n.isObject()) {
                throw new RunTableException(source + ": line " + (i + 1) + " must be one JSON object per run");
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                columns.add(e.getKey());
                JsonNode v = e.getValue();
                if (v.isContainerNode()) {
                    throw new RunTableException(source + ": line " + (i + 1) + ": " + e.getKey() + " must be a number, "
                            + "true/false or text, not " + (v.isArray() ? "a list" : "an object"));
                }
                row.put(e.getKey(), v.isNull() ? "" : v.asText());
            }
            rows.add(row);
        }
        return runs(source, new ArrayList<>(columns), rows);
    }

    private static Read runs(String source, List<String> columns, List<Map<String, String>> rows) {
        for (String c : REQUIRED) {
            if (!columns.contains(c)) {
                throw new RunTableException(source + ": missing column '" + c + "'; a table of runs needs "
                        + String.join(", ", REQUIRED) + " (one row per run), and every other column not in "
                        + RESULT_COLUMNS + " is a setting");
            }
        }
        List<String> settings = columns.stream().filter(c -> !RESULT_COLUMNS.contains(c)).toList();
        List<TrialRecord> runs = new ArrayList<>();
        Map<String, Integer> leftOut = new TreeMap<>();
        int index = 0;
        for (Map<String, String> row : rows) {
            index++;
            String where = source + ": row " + index;
            String state = row.getOrDefault("state", "").trim().toLowerCase(Locale.ROOT);
            if (!state.equals("completed") && !state.equals("diverged")) {
                leftOut.merge(state.isEmpty() ? "(no state)" : state, 1, Integer::sum);
                continue;
            }
            String optimizer = row.getOrDefault("optimizer", "").trim();
            if (optimizer.isEmpty()) {
                throw new RunTableException(where + ": optimizer is empty; name the optimizer of every run");
            }
            long seed;
            try {
                seed = new java.math.BigDecimal(row.getOrDefault("seed", "").trim()).longValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                throw new RunTableException(where + ": seed '" + shorten(row.get("seed")) + "' is not a whole number");
            }
            String lossText = row.getOrDefault("final_val_loss", "").trim();
            Double loss = null;
            if (state.equals("completed")) {
                try {
                    loss = Double.parseDouble(lossText);
                } catch (NumberFormatException e) {
                    throw new RunTableException(where + ": final_val_loss '" + shorten(lossText) + "' is not a number; a "
                            + "completed run needs its final validation loss (state: diverged for a run that diverged)");
                }
            }
            Map<String, SweptValue> point = new TreeMap<>();
            for (String k : settings) {
                String v = row.getOrDefault(k, "").trim();
                if (!v.isEmpty()) {
                    point.put(k, SweptValue.parse(v));
                }
            }
            String id = row.getOrDefault("trial", "").isBlank() ? "row-" + index : row.get("trial");
            runs.add(new TrialRecord(id, "table", index, id, optimizer, Point.of(point), seed, TrialStatus.of(state), null,
                    1, null, null, null, loss, null, null, null, null, null));
        }
        return new Read(runs, leftOut);
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
