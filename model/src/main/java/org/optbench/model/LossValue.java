package org.optbench.model;

/**
 * The loss of one batch: {@code loss = ce + zLoss}, where {@code ce} is the mean cross-entropy
 * and {@code zLoss} the z-loss term already multiplied by its coefficient.
 */
public record LossValue(double loss, double ce, double zLoss) {

    public boolean isFinite() {
        return Double.isFinite(loss);
    }
}
