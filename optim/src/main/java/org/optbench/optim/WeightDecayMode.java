package org.optbench.optim;

/**
 * The two decoupled weight-decay conventions, applied before the update as
 * {@code p *= 1 - lr_t * wd'}: {@code torch} uses {@code wd' = wd}; {@code paper} uses
 * {@code wd' = wd / peak_lr}, so decay follows the schedule's shape but not the peak LR.
 */
public enum WeightDecayMode {
    TORCH, PAPER;

    public static WeightDecayMode of(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    /** The multiplicative factor for this step. */
    public float decay(float lr, float peakLr, float wd) {
        if (wd == 0f) {
            return 1f;
        }
        return this == TORCH ? 1f - lr * wd : 1f - lr * wd / peakLr;
    }
}
