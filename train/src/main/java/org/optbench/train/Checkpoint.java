package org.optbench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.optbench.model.Transformer;
import org.optbench.model.io.ModelWeights;
import org.optbench.model.io.SafetensorsFile;
import org.optbench.optim.Optimizer;
import org.optbench.train.text.TokenFileException;

/**
 * A run's checkpoint directory: {@code weights.safetensors}, {@code optimizer.safetensors} and
 * {@code state.json} (the last completed step, which is also the data position, the seed that
 * every batch and the initialisation derive from, and the run's configuration). Written to a
 * temporary directory and renamed, so a crash mid-write leaves the previous checkpoint intact.
 */
public final class Checkpoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoint() {
    }

    public static void save(Path dir, Transformer model, Optimizer optimizer, int step, long seed, JsonNode config) {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            ModelWeights.save(tmp.resolve("weights.safetensors"), model);
            optimizer.save(tmp.resolve("optimizer.safetensors"), step);
            ObjectNode state = JSON.createObjectNode();
            state.put("step", step);
            state.put("seed", seed);
            state.set("config", config);
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve("state.json").toFile(), state);
            deleteTree(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TokenFileException("cannot write the checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The saved state.json; the error says what is missing. */
    public static JsonNode state(Path dir) {
        Path file = dir.resolve("state.json");
        if (!Files.isRegularFile(file)) {
            throw new TokenFileException(dir + " is not a checkpoint (no state.json)");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new TokenFileException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads weights and optimizer state into an already-built model and optimizer; returns the step. */
    public static int restore(Path dir, Transformer model, Optimizer optimizer) {
        ModelWeights.load(SafetensorsFile.read(dir.resolve("weights.safetensors")), model);
        int step = optimizer.load(dir.resolve("optimizer.safetensors"));
        int saved = state(dir).path("step").asInt(-1);
        if (step != saved) {
            throw new TokenFileException(dir + " is inconsistent: optimizer step " + step + ", state.json step " + saved);
        }
        return step;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
