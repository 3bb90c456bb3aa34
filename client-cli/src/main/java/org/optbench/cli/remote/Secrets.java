package org.optbench.cli.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Secrets read from files, so that they never appear on a command line that {@code ps} shows. */
public final class Secrets {

    private Secrets() {
    }

    /** The first line of {@code file}, trimmed; {@code option} names where the file was given. */
    public static String firstLine(Path file, String option) {
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                throw new IllegalArgumentException(option + " " + file + " is empty; put the secret on its first line");
            }
            return lines.get(0).trim();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + e.getMessage(), e);
        }
    }
}
