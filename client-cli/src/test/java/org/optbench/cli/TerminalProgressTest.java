package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.train.data.DefaultCorpus;

/**
 * {@code optbench study} on a real terminal: a pseudo-terminal of 60 columns made by
 * {@code script(1)}, where the progress line is redrawn in place and must never be wider than the
 * terminal (a wider one wraps and leaves a new row at every redraw).
 */
class TerminalProgressTest {

    private static final int COLUMNS = 60;

    @TempDir
    Path dir;

    @Test
    void theProgressLineFitsTheTerminal() throws Exception {
        Path spec = CliProcess.tinySpec(dir, "tiny", 20, 2, "adamw: {lr: {values: [1.0e-3, 3.16e-3]}}");
        Path script = dir.resolve("run.sh");
        Files.writeString(script, "stty cols " + COLUMNS + " rows 20\nexec " + CliProcess.command("study", spec.toString(),
                "--runs-dir", dir.resolve("runs").toString()).stream().map(a -> "'" + a + "'").collect(Collectors.joining(" "))
                + "\n");
        Path out = dir.resolve("terminal.txt");
        Process p = new ProcessBuilder("script", "-q", "-e", "-c", "sh " + script, "/dev/null").directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the study ran past 300 s");
        String screen = Files.readString(out);
        assertEquals(0, p.exitValue(), screen);
        List<String> progress = List.of(screen.split("[\r\n]+")).stream().filter(l -> l.startsWith("trials ")).toList();
        assertTrue(progress.size() >= 2 && progress.stream().anyMatch(l -> l.startsWith("trials 2/2 done")), screen);
        for (String drawn : progress) {
            assertTrue(drawn.stripTrailing().length() < COLUMNS, drawn.length() + " columns: '" + drawn + "'");
        }
    }

    /**
     * A first run on a fresh home: the corpus is prepared and said so in one line of its own, with
     * no JSON and nothing on the progress line, and the table ends with the result in words.
     */
    @Test
    void theFirstRunPreparesTheCorpusOnItsOwnLinesAndEndsWithAVerdict() throws Exception {
        Path home = dir.resolve("home");
        Path raw = DefaultCorpus.fetch(Path.of("target", "test-data").toAbsolutePath(), new PrintWriter(new StringWriter()));
        Files.createDirectories(home.resolve("data/raw"));
        Files.copy(raw, DefaultCorpus.rawFile(home.resolve("data")));
        Path spec = Files.writeString(dir.resolve("first.yaml"), """
                name: first
                model: {preset: study, layers: 1}
                data: sotu-512
                steps: 400
                batch: 4
                seeds: [0]
                train: {eval_tokens: 2048, eval_points: 1}
                parameters:
                  optimizer:
                    adamw: {lr: {values: [1.0e-3, 1.0e-2]}}
                """);
        String screen = onTerminal("study", spec.toString(), "--runs-dir", dir.resolve("runs").toString());
        List<String> lines = List.of(screen.split("[\r\n]+"));
        assertTrue(lines.stream().anyMatch(l -> l.matches("prepared sotu-512: [0-9,]+ training tokens \\(\\d+ speeches\\) "
                + "and [0-9,]+ validation tokens \\(\\d+\\) in .*")), screen);
        assertTrue(lines.stream().noneMatch(l -> l.contains("{\"")), "no raw JSON: " + screen);
        assertTrue(lines.stream().filter(l -> l.contains("ETA")).noneMatch(l -> l.contains("prepared") || l.contains("wrote")),
                screen);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Best: adamw with a final validation loss of ")), screen);
        assertTrue(lines.stream().anyMatch(l -> l.matches(".*trials 0/2 done, .* ETA \\d\\d:\\d\\d.*")),
                "an ETA from the step rates before any trial finished: " + screen);
    }

    /** Runs optbench with {@code args} on a pseudo-terminal of {@link #COLUMNS} columns; returns the screen. */
    private String onTerminal(String... args) throws Exception {
        Path script = dir.resolve("first.sh");
        Files.writeString(script, "stty cols " + COLUMNS + " rows 20\nexec " + CliProcess.command(args).stream()
                .map(a -> "'" + a + "'").collect(Collectors.joining(" ")) + "\n");
        Path out = dir.resolve("first.txt");
        ProcessBuilder b = new ProcessBuilder("script", "-q", "-e", "-c", "sh " + script, "/dev/null").directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE);
        b.environment().put("OPTBENCH_HOME", dir.resolve("home").toString());
        Process p = b.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the study ran past 300 s");
        String screen = Files.readString(out);
        assertEquals(0, p.exitValue(), screen);
        return screen;
    }
}
