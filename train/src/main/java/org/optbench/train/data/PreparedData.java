package org.optbench.train.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.optbench.train.text.TokenFileException;

/**
 * A directory written by {@link DataPreparer}: {@code train.npy} and {@code val.npy} (1-D token
 * streams, documents each followed by EOS) and {@code manifest.json} with the tokenizer and the
 * counts, including the UTF-8 bytes behind each split for bits-per-byte.
 */
public record PreparedData(Path dir, JsonNode manifest) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static PreparedData open(Path dir) {
        Path manifest = dir.resolve("manifest.json");
        if (!Files.isRegularFile(manifest)) {
            throw new TokenFileException(dir + " holds no prepared data (no manifest.json): run "
                    + "'optbench data prepare --input ... --out " + dir + "' first");
        }
        try {
            return new PreparedData(dir, JSON.readTree(manifest.toFile()));
        } catch (IOException e) {
            throw new TokenFileException("cannot read " + manifest + ": " + e.getMessage(), e);
        }
    }

    public NpyArray train() {
        return NpyArray.open(dir.resolve("train.npy"));
    }

    public NpyArray val() {
        return NpyArray.open(dir.resolve("val.npy"));
    }

    public int vocabSize() {
        return manifest.path("tokenizer").path("vocab_size").asInt();
    }

    public String tokenizerName() {
        return manifest.path("tokenizer").path("name").asText();
    }

    /** Validation tokens per UTF-8 byte of validation text, for bits per byte. */
    public double valTokensPerByte() {
        JsonNode c = manifest.path("counts");
        return c.path("val_tokens").asDouble() / Math.max(1, c.path("val_bytes").asDouble());
    }
}
