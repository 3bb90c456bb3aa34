package org.optbench.train.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Opens a tokenizer by its command-line spec: {@code gpt2}, {@code sotu-8k} (the default
 * corpus's SentencePiece model, shipped with optbench) or the path of a SentencePiece
 * {@code .model} file such as T5's {@code spiece.model}.
 */
public final class Tokenizers {

    public static final String DEFAULT = "sotu-8k";
    private static final String BUNDLED = "/org/optbench/train/tokenizers/sotu-8k.model";

    private Tokenizers() {
    }

    public static Tokenizer open(String spec, Path workDir) {
        if (spec.equals("gpt2")) {
            return new Gpt2Tokenizer();
        }
        if (spec.equals(DEFAULT)) {
            return new SentencePieceTokenizer(bundledModel(workDir));
        }
        Path path = Path.of(spec);
        if (!Files.isRegularFile(path)) {
            throw new TokenFileException("tokenizer '" + spec + "' is neither gpt2, " + DEFAULT
                    + " nor an existing SentencePiece .model file");
        }
        return new SentencePieceTokenizer(path);
    }

    /** The shipped default model, copied once into {@code dir} so native code can read a file. */
    public static Path bundledModel(Path dir) {
        Path target = dir.resolve("sotu-8k.model");
        if (Files.isRegularFile(target)) {
            return target;
        }
        try (InputStream in = Tokenizers.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new TokenFileException("the bundled tokenizer " + BUNDLED + " is missing from the build");
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "sotu-8k", ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new TokenFileException("cannot write the bundled tokenizer to " + dir + ": " + e.getMessage(), e);
        }
    }
}
