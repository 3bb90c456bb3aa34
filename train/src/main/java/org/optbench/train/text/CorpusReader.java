package org.optbench.train.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads documents from C4-style JSON-lines files ({@code *.json}, {@code *.jsonl},
 * {@code *.json.gz}: one object per line, its {@code text} field; other fields ignored) and plain
 * text files ({@code *.txt}: one document per file), given as files or directories (searched
 * recursively, in name order). A line that is not JSON or has no string {@code text} is counted
 * and skipped; only a corpus in which every line is bad is an error.
 */
public final class CorpusReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What reading found. */
    public record Stats(int files, long documents, long badLines, long bytes) {
    }

    private final List<Path> files;

    public CorpusReader(List<Path> inputs) {
        List<Path> found = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    walk.filter(Files::isRegularFile).filter(CorpusReader::isCorpusFile).sorted().forEach(found::add);
                } catch (IOException e) {
                    throw new TokenFileException("cannot list " + input + ": " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(input)) {
                if (!isCorpusFile(input)) {
                    throw new TokenFileException(input + " is not a corpus file: use *.json, *.jsonl, *.json.gz or *.txt");
                }
                found.add(input);
            } else {
                throw new TokenFileException("corpus input " + input + " does not exist");
            }
        }
        if (found.isEmpty()) {
            throw new TokenFileException("no *.json, *.jsonl, *.json.gz or *.txt files in " + inputs);
        }
        this.files = List.copyOf(found);
    }

    static boolean isCorpusFile(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".json.gz") || n.endsWith(".txt");
    }

    public List<Path> files() {
        return files;
    }

    /** Hands every document's text to {@code sink} in file order and returns the counts. */
    public Stats read(Consumer<String> sink) {
        long documents = 0;
        long bad = 0;
        long jsonLines = 0;
        long bytes = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            try {
                if (name.endsWith(".txt")) {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    sink.accept(text);
                    documents++;
                    bytes += text.getBytes(StandardCharsets.UTF_8).length;
                    continue;
                }
                try (InputStream raw = Files.newInputStream(file);
                     InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
                     BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        if (line.isBlank()) {
                            continue;
                        }
                        jsonLines++;
                        String text = textOf(line);
                        if (text == null) {
                            bad++;
                            continue;
                        }
                        sink.accept(text);
                        documents++;
                        bytes += text.getBytes(StandardCharsets.UTF_8).length;
                    }
                }
            } catch (IOException e) {
                throw new TokenFileException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        if (jsonLines > 0 && bad == jsonLines && documents == 0) {
            throw new TokenFileException("all " + bad + " lines of " + files
                    + " are bad: each line must be a JSON object with a string 'text' field");
        }
        return new Stats(files.size(), documents, bad, bytes);
    }

    private static String textOf(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            JsonNode text = node == null ? null : node.get("text");
            return text != null && text.isTextual() ? text.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
