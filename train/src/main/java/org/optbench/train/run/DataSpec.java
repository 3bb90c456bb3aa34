package org.optbench.train.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a run's tokens come from and in which order it reads them: the default corpus (fetched
 * and prepared on first use), the seeded synthetic stream, a directory from
 * {@code optbench data prepare}, or a {@code .npy} token file (a 1-D stream, or 3-D explicit
 * batches, which are always read in order).
 *
 * @param source     which kind of data
 * @param path       the prepared directory or token file; null for the default corpus and synthetic data
 * @param batchOrder seeded random windows, or llm.c's sequential order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSpec(Source source, Path path, BatchOrder batchOrder) {

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
    }

    /** The default corpus in shuffled order. */
    public static DataSpec defaults() {
        return new DataSpec(Source.DEFAULT, null, BatchOrder.SHUFFLED);
    }

    /** How the data is named in results and checkpoints: default, synthetic, or the path. */
    public String label() {
        return path != null ? path.toString() : source.label();
    }
}
