package org.optbench.train.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.optbench.train.text.CorpusReader;
import org.optbench.train.text.Fingerprint;
import org.optbench.train.text.TokenFileException;
import org.optbench.train.text.Tokenizer;

/**
 * Tokenizes a corpus once into memory-mappable token files: documents in corpus order, each
 * followed by EOS (no BOS, the T5 convention); every document whose index i has
 * floor((i+1)*f) > floor(i*f) goes to the validation split (fraction f, spread evenly through the
 * corpus), the rest to training. Writes uint16 when the vocabulary fits, else int32, and a
 * manifest. A second run with the same inputs (paths, sizes, modification times), tokenizer and
 * fraction reuses the directory.
 */
public final class DataPreparer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DataPreparer() {
    }

    /** The result and whether it came from the cache. */
    public record Outcome(PreparedData data, boolean reused) {
    }

    public static Outcome prepare(CorpusReader corpus, Tokenizer tokenizer, Path out, double valFraction) {
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new TokenFileException("validation fraction must lie in (0, 1), got " + valFraction);
        }
        String inputs = inputFingerprint(corpus, tokenizer, valFraction);
        Path manifestPath = out.resolve("manifest.json");
        if (Files.isRegularFile(manifestPath) && Files.isRegularFile(out.resolve("train.npy"))
                && Files.isRegularFile(out.resolve("val.npy"))) {
            PreparedData existing = PreparedData.open(out);
            if (inputs.equals(existing.manifest().path("input_fingerprint").asText())) {
                return new Outcome(existing, true);
            }
        }
        TokenCollector train = new TokenCollector();
        TokenCollector val = new TokenCollector();
        long[] bytes = new long[2];
        long[] docs = new long[2];
        int eos = tokenizer.eosId();
        CorpusReader.Stats stats = corpus.read(new java.util.function.Consumer<>() {
            private long index;

            @Override
            public void accept(String text) {
                boolean isVal = Math.floor((index + 1) * valFraction) > Math.floor(index * valFraction);
                index++;
                TokenCollector split = isVal ? val : train;
                split.add(tokenizer.encode(text));
                split.add(eos);
                int s = isVal ? 1 : 0;
                bytes[s] += text.getBytes(StandardCharsets.UTF_8).length;
                docs[s]++;
            }
        });
        if (val.size() == 0 || train.size() == 0) {
            throw new TokenFileException("the corpus has " + stats.documents() + " documents: too few to hold out a "
                    + valFraction + " validation split; add documents or raise the fraction");
        }
        NpyArray.Dtype dtype = tokenizer.vocabSize() <= 65536 ? NpyArray.Dtype.UINT16 : NpyArray.Dtype.INT32;
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new TokenFileException("cannot create " + out + ": " + e.getMessage(), e);
        }
        NpyWriter.write(out.resolve("train.npy"), new long[] {train.size()}, train.toArray(), dtype);
        NpyWriter.write(out.resolve("val.npy"), new long[] {val.size()}, val.toArray(), dtype);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", 1);
        ObjectNode tok = manifest.putObject("tokenizer");
        tok.put("name", tokenizer.name());
        tok.put("fingerprint", tokenizer.fingerprint());
        tok.put("vocab_size", tokenizer.vocabSize());
        tok.put("eos_id", eos);
        ArrayNode files = manifest.putArray("inputs");
        corpus.files().forEach(f -> files.add(f.toAbsolutePath().toString()));
        manifest.put("input_fingerprint", inputs);
        manifest.put("val_fraction", valFraction);
        manifest.put("dtype", dtype.name().toLowerCase(java.util.Locale.ROOT));
        ObjectNode counts = manifest.putObject("counts");
        counts.put("documents", stats.documents());
        counts.put("bad_lines", stats.badLines());
        counts.put("train_documents", docs[0]);
        counts.put("val_documents", docs[1]);
        counts.put("train_tokens", train.size());
        counts.put("val_tokens", val.size());
        counts.put("train_bytes", bytes[0]);
        counts.put("val_bytes", bytes[1]);
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(manifestPath.toFile(), manifest);
        } catch (IOException e) {
            throw new TokenFileException("cannot write " + manifestPath + ": " + e.getMessage(), e);
        }
        return new Outcome(PreparedData.open(out), false);
    }

    private static String inputFingerprint(CorpusReader corpus, Tokenizer tokenizer, double valFraction) {
        MessageDigest d = Fingerprint.digest();
        try {
            for (Path f : corpus.files()) {
                d.update((f.toAbsolutePath() + "|" + Files.size(f) + "|" + Files.getLastModifiedTime(f).toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new TokenFileException("cannot stat the corpus files: " + e.getMessage(), e);
        }
        d.update((tokenizer.fingerprint() + "|" + valFraction).getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(d.digest());
    }
}
