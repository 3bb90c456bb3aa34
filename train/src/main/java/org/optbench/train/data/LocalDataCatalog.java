package org.optbench.train.data;

import java.nio.file.Files;
import java.nio.file.Path;
import org.optbench.train.run.DataCatalog;
import org.optbench.train.run.DataFacts;
import org.optbench.train.run.DataSpec;
import org.optbench.train.run.RunSpecException;
import org.optbench.train.text.TokenFileException;

/**
 * The facts of data on this machine: the default corpus from its manifest once prepared (else the
 * counts it is known to have), prepared directories from their manifests, token files from their
 * headers, and the synthetic stream from its definition.
 */
public final class LocalDataCatalog implements DataCatalog {

    private final Path defaultRoot;

    public LocalDataCatalog(Path defaultRoot) {
        this.defaultRoot = defaultRoot;
    }

    /** The catalog of the default data root ({@link DefaultCorpus#root()}). */
    public static LocalDataCatalog standard() {
        return new LocalDataCatalog(DefaultCorpus.root());
    }

    @Override
    public DataFacts describe(DataSpec data) {
        return switch (data.source()) {
            case SYNTHETIC -> new DataFacts(null, DataFacts.SYNTHETIC_VAL_TOKENS, null);
            case DEFAULT -> {
                DataSpec.Tokenization t = data.corpusTokenization();
                Path prepared = DefaultCorpus.preparedDir(defaultRoot, t);
                yield Files.isRegularFile(prepared.resolve("manifest.json")) ? prepared(prepared, "data " + data.label())
                        : new DataFacts(t.vocab(), t.valTokens(), null);
            }
            case PREPARED -> prepared(data.path(), "data " + data.path());
            case TOKEN_FILE -> {
                try {
                    yield new DataFacts(null, 0, NpyArray.open(data.path()).shape());
                } catch (TokenFileException e) {
                    throw new RunSpecException("tokens " + data.path() + ": " + e.getMessage());
                }
            }
        };
    }

    private static DataFacts prepared(Path dir, String field) {
        try {
            PreparedData p = PreparedData.open(dir);
            return new DataFacts(p.vocabSize(), p.manifest().path("counts").path("val_tokens").asLong(), null);
        } catch (TokenFileException e) {
            throw new RunSpecException(field + ": " + e.getMessage());
        }
    }
}
