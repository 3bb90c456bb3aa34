package org.optbench.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.optbench.train.run.RunKeys;
import org.optbench.train.run.RunSpec;
import org.optbench.train.run.RunSpecException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Command-line options generated from the {@link RunKeys} registry, so that {@code optbench train}'s
 * flags, config-file keys and sweep-spec keys are one list: each key becomes {@code --key-name}
 * with its label and description, hyperparameter switches may stand alone ({@code --nesterov}),
 * lists are comma-separated. Values stay strings until {@link RunKeys} types them; a config file
 * is applied first and the flags given on the command line over it.
 */
final class RunOptions {

    private RunOptions() {
    }

    /** Every run key as an option: {@code optbench train}. */
    static final class AllKeys implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return add(spec, k -> true);
        }
    }

    /** The optimizer's keys (optimizer, groups, hyperparameters, schedule): {@code optbench optim explain}. */
    static final class OptimizerKeys implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return add(spec, k -> k.isHyperparameter() || List.of("optimizer", "groups", "schedule").contains(k.name()));
        }
    }

    private static CommandSpec add(CommandSpec spec, Predicate<RunKeys.Key> which) {
        for (RunKeys.Key key : RunKeys.all()) {
            if (!which.test(key)) {
                continue;
            }
            OptionSpec.Builder o = OptionSpec.builder(key.flag()).paramLabel(key.label()).description(key.description());
            switch (key.arity()) {
                case SWITCH -> o.type(String.class).arity("0..1").fallbackValue("true");
                case LIST -> o.type(List.class).auxiliaryTypes(String.class).splitRegex(",");
                case VALUE -> o.type(String.class).arity("1");
            }
            spec.addOption(o.build());
        }
        return spec;
    }

    /** Applies the run-key options given on the command line, in the registry's order. */
    static RunSpec.Builder applyFlags(RunSpec.Builder builder, ParseResult parsed) {
        Map<String, Object> given = new LinkedHashMap<>();
        for (RunKeys.Key key : RunKeys.all()) {
            if (parsed.hasMatchedOption(key.flag())) {
                given.put(key.name(), parsed.matchedOptionValue(key.flag(), (Object) null));
            }
        }
        return RunKeys.applyAll(builder, given);
    }

    /**
     * Applies a YAML or JSON mapping of run keys ({@code d_model} or {@code d-model}); bad YAML
     * gives the line and column, an unknown key the valid ones.
     */
    static RunSpec.Builder applyFile(RunSpec.Builder builder, Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new RunSpecException(file + (at != null ? ":" + at.getLineNr() + ":" + at.getColumnNr() : "") + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RunSpecException("config " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new RunSpecException(file + " must be a mapping of run settings to values, e.g. 'steps: 100'");
        }
        Map<String, Object> given = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            try {
                given.put(RunKeys.get(f.getKey()).name(), f.getValue());
            } catch (RunSpecException e) {
                throw new RunSpecException(file + ": " + e.getMessage());
            }
        }
        return RunKeys.applyAll(builder, given);
    }
}
