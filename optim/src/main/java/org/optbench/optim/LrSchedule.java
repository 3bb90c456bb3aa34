package org.optbench.optim;

/**
 * The learning rate at each optimizer step, steps counted from 1. {@link #paper} is the study's
 * schedule: linear warmup from 0.1*lr to lr over W steps, cosine decay to 0.1*lr at step N, then
 * 0.1*lr.
 */
@FunctionalInterface
public interface LrSchedule {

    double lr(int step);

    static LrSchedule constant(double lr) {
        return step -> lr;
    }

    static LrSchedule paper(double lr, int warmup, int total) {
        if (warmup < 0 || total <= 0 || warmup > total) {
            throw new HyperparameterException("schedule needs 0 <= warmup <= steps and steps > 0, got warmup "
                    + warmup + " and steps " + total);
        }
        return step -> {
            if (step < warmup) {
                return lr * (0.1 + 0.9 * step / warmup);
            }
            if (step < total) {
                double progress = (double) (step - warmup) / (total - warmup);
                return 0.1 * lr + 0.9 * lr * (1 + Math.cos(Math.PI * progress)) / 2;
            }
            return 0.1 * lr;
        };
    }
}
