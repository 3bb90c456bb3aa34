package org.optbench.sweep.analysis;

/**
 * One learning rate of an optimizer's curve: the mean final validation loss over seeds (the
 * worst-case loss for seeds that diverged or failed), the seeds behind it, and how many diverged.
 */
public record LrPoint(double lr, double loss, int seeds, int diverged) {

    public boolean allDiverged() {
        return diverged == seeds;
    }
}
