package org.optbench.train.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Opens a tokenizer by its command-line spec: {@code gpt2}, {@code sotu-8k} or {@code sotu-512}
 * (the default corpus's SentencePiece models of 8,192 and 512 pieces, shipped with optbench) or
 * the path of a SentencePiece {@code .model} file such as T5's {@code spiece.model}.
 */
public final class Tokenizers {

    public static final String DEFAULT = "sotu-8k";
    /** The SentencePiece models shipped with optbench, by name. */
    public static final List<String> BUNDLED = List.of(DEFAULT, "sotu-512");

    private Tokenizers() {
    }

    public static Tokenizer open(String spec, Path workDir) {
        if (spec.equals("gpt2")) {
            return new Gpt2Tokenizer();
        }
        if (BUNDLED.contains(spec)) {
            return new SentencePieceTokenizer(bundledModel(workDir, spec));
        }
        Path path = Path.of(spec);
        if (!Files.isRegularFile(path)) {
            throw new TokenFileException("tokenizer '" + spec + "' is neither gpt2, one of " + BUNDLED
                    + " nor an existing SentencePiece .model file");
        }
        return new SentencePieceTokenizer(path);
    }

    /** The shipped default model, copied once into {@code dir} so native code can read a file. */
    public static Path bundledModel(Path dir) {
        return bundledModel(dir, DEFAULT);
    }

    /** The shipped model {@code name} (one of {@link #BUNDLED}), copied once into {@code dir}. */
    public static Path bundledModel(Path dir, String name) {
        Path target = dir.resolve(name + ".model");
        if (Files.isRegularFile(target)) {
            return target;
        }
        String resource = "/org/optbench/train/tokenizers/" + name + ".model";
        try (InputStream in = Tokenizers.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new TokenFileException("the bundled tokenizer " + resource + " is missing from the build");
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new TokenFileException("cannot write the bundled tokenizer to " + dir + ": " + e.getMessage(), e);
        }
    }
}
