package org.optbench.train.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;

/**
 * A run's checkpoint policy: every {@code every} steps, or {@code perRun} times over the run
 * (every max(1, steps / perRun) steps; a sweep's trials checkpoint four times), into {@code dir};
 * and the checkpoint directory to resume from, if any.
 *
 * @param every  steps between checkpoints (0: see perRun)
 * @param perRun checkpoints over the whole run when {@code every} is 0 (0: never)
 * @param dir    where checkpoints go
 * @param resume a checkpoint directory to continue from, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointSpec(int every, int perRun, Path dir, Path resume) {

    public static final Path DEFAULT_DIR = Path.of("runs", "checkpoint");

    public CheckpointSpec {
        dir = dir == null ? DEFAULT_DIR : dir;
    }

    public static CheckpointSpec never() {
        return new CheckpointSpec(0, 0, DEFAULT_DIR, null);
    }

    /** Steps between checkpoints in a run of {@code steps} steps (0: never). */
    public int interval(int steps) {
        if (every > 0) {
            return every;
        }
        return perRun > 0 ? Math.max(1, steps / perRun) : 0;
    }
}
