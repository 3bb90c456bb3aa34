package org.optbench.train.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;

/**
 * What a run writes besides its checkpoints: per-step and per-evaluation metrics as JSON lines,
 * the result as one JSON object, the final weights, and how often plain progress lines are
 * printed when not on a terminal. Null paths write nothing.
 *
 * @param metrics  the metrics file (appended to when resuming)
 * @param result   the result file
 * @param weights  the final weights (safetensors)
 * @param logEvery steps between plain progress lines
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutputSpec(Path metrics, Path result, Path weights, int logEvery) {

    public static final int DEFAULT_LOG_EVERY = 10;

    public static OutputSpec defaults() {
        return new OutputSpec(null, null, null, DEFAULT_LOG_EVERY);
    }
}
