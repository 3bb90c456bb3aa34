package org.optbench.train.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a run's tokens come from and in which order it reads them: the default corpus (fetched
 * and prepared on first use) in one of its shipped tokenizations, the seeded synthetic stream, a
 * directory from {@code optbench data prepare}, or a {@code .npy} token file (a 1-D stream, or
 * 3-D explicit batches, which are always read in order).
 *
 * @param source       which kind of data
 * @param path         the prepared directory or token file; null for the default corpus and synthetic data
 * @param batchOrder   seeded random windows, or llm.c's sequential order
 * @param tokenization the default corpus's tokenization other than the default {@code sotu-8k};
 *                     null for it (so that a default run's description stays as it was) and for
 *                     every other source
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSpec(Source source, Path path, BatchOrder batchOrder, Tokenization tokenization) {

    /**
     * The default corpus's shipped SentencePiece tokenizations: {@code sotu-8k}, the default, and
     * {@code sotu-512}, the CPU study regime's, whose small vocabulary leaves most of a small
     * model's parameters outside the embeddings. Each knows its vocabulary and the validation
     * tokens the corpus prepares to, before anything is fetched.
     */
    public enum Tokenization {
        SOTU_8K("sotu-8k", 8192, 102_800),
        SOTU_512("sotu-512", 512, 199_669);

        private final String label;
        private final int vocab;
        private final long valTokens;

        Tokenization(String label, int vocab, long valTokens) {
            this.label = label;
            this.vocab = vocab;
            this.valTokens = valTokens;
        }

        @JsonValue
        public String label() {
            return label;
        }

        public int vocab() {
            return vocab;
        }

        public long valTokens() {
            return valTokens;
        }

        /** The tokenization called {@code label}, or null. */
        public static Tokenization of(String label) {
            for (Tokenization t : values()) {
                if (t.label.equals(label)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** The kinds of data a run reads (written in lower case). */
    public enum Source {
        DEFAULT, SYNTHETIC, PREPARED, TOKEN_FILE;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How batch k is chosen from a 1-D stream (written in lower case). */
    public enum BatchOrder {
        SHUFFLED, SEQUENTIAL;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DataSpec {
        source = source == null ? Source.DEFAULT : source;
        batchOrder = batchOrder == null ? BatchOrder.SHUFFLED : batchOrder;
        if ((source == Source.PREPARED || source == Source.TOKEN_FILE) != (path != null)) {
            throw new RunSpecException("data source " + source.label() + (path == null ? " needs a path" : " takes no path"));
        }
        if (tokenization == Tokenization.SOTU_8K) {
            tokenization = null;
        }
        if (tokenization != null && source != Source.DEFAULT) {
            throw new RunSpecException("a tokenization (" + tokenization.label() + ") is for the default corpus, not "
                    + source.label() + " data");
        }
    }

    public DataSpec(Source source, Path path, BatchOrder batchOrder) {
        this(source, path, batchOrder, null);
    }

    /** The default corpus in shuffled order. */
    public static DataSpec defaults() {
        return new DataSpec(Source.DEFAULT, null, BatchOrder.SHUFFLED);
    }

    /** The default corpus's tokenization: {@code sotu-8k} unless another is named. */
    public Tokenization corpusTokenization() {
        return tokenization == null ? Tokenization.SOTU_8K : tokenization;
    }

    /** How the data is named in results and checkpoints: default, sotu-512, synthetic, or the path. */
    public String label() {
        if (path != null) {
            return path.toString();
        }
        return tokenization != null ? tokenization.label() : source.label();
    }
}
