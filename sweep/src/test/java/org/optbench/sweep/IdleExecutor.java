package org.optbench.sweep;

import java.nio.file.Path;
import org.optbench.sweep.exec.TrialExecutor;

/** A test executor with nothing to cancel, stop or close; subclasses say how trials start and end. */
abstract class IdleExecutor implements TrialExecutor {

    @Override
    public void cancel(String executorId) {
    }

    @Override
    public void stopOrphan(String executorId, Path trialDir) {
    }

    @Override
    public void close() {
    }
}
