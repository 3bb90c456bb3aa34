package org.optbench.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option values from a YAML or JSON file ({@code --config FILE}): keys are option names without
 * the leading dashes ({@code d-model} or {@code d_model}); flags on the command line win. A key
 * that names no option of the command is an error listing it, so typos do not pass silently.
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {

    private final JsonNode values;
    private final Path file;

    private ConfigDefaults(Path file, JsonNode values) {
        this.file = file;
        this.values = values;
    }

    /** Reads {@code file}; the error carries the line and column of bad YAML. */
    static ConfigDefaults read(Path file) {
        try {
            JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(file + " must be a mapping of option names to values");
            }
            return new ConfigDefaults(file, node);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new IllegalArgumentException(file + (at != null ? ":" + at.getLineNr() + ":" + at.getColumnNr() : "")
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --config " + file + ": " + e.getMessage());
        }
    }

    /** Fails on keys that are not options of {@code command}. */
    void check(CommandLine.Model.CommandSpec command) {
        Set<String> known = new HashSet<>();
        for (OptionSpec o : command.options()) {
            known.add(key(o.longestName()));
        }
        Iterator<String> names = values.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(key(name))) {
                throw new IllegalArgumentException(file + ": '" + name + "' is not an option of '"
                        + command.qualifiedName() + "'; see its --help");
            }
        }
    }

    private static String key(String name) {
        return name.replaceFirst("^-+", "").replace('_', '-');
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        String wanted = key(option.longestName());
        Iterator<String> names = values.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (key(name).equals(wanted)) {
                JsonNode v = values.get(name);
                if (v.isArray()) {
                    StringBuilder s = new StringBuilder();
                    v.forEach(e -> s.append(s.length() == 0 ? "" : ",").append(e.asText()));
                    return s.toString();
                }
                return v.asText();
            }
        }
        return null;
    }
}
