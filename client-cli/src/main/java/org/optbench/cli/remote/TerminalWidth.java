package org.optbench.cli.remote;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The width of the terminal a progress line is drawn on, so that the line never wraps: the
 * terminal's own size ({@code stty size} on the controlling terminal, read at most once a second,
 * so a resized window is followed), else {@code COLUMNS}, else 80.
 */
final class TerminalWidth {

    private static final int FALLBACK = 80;
    private static final long REFRESH_NANOS = 1_000_000_000L;

    private int columns = -1;
    private long readAt;

    /** The terminal's width in columns. */
    int columns() {
        long now = System.nanoTime();
        if (columns < 0 || now - readAt > REFRESH_NANOS) {
            columns = read();
            readAt = now;
        }
        return columns;
    }

    private static int read() {
        File tty = new File("/dev/tty");
        if (tty.canRead()) {
            try {
                Process p = new ProcessBuilder("stty", "size").redirectInput(tty).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    String[] rowsColumns = out.split("\\s+");
                    int n = Integer.parseInt(rowsColumns[rowsColumns.length - 1]);
                    if (n > 0) {
                        return n;
                    }
                }
            } catch (Exception e) {
                // no stty or no terminal: fall back to COLUMNS
            }
        }
        try {
            int n = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", ""));
            return n > 0 ? n : FALLBACK;
        } catch (NumberFormatException e) {
            return FALLBACK;
        }
    }

    /** {@code line} cut to fit {@code width - 1} columns (the last column left free so the cursor never wraps). */
    static String fit(String line, int width) {
        int max = Math.max(10, width - 1);
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}
