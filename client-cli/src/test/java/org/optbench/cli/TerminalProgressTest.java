package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
