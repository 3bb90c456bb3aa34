package org.optbench.optim;

/**
 * Global-norm gradient clipping: every gradient is multiplied by
 * {@code min(1, maxNorm / (norm + 1e-6))}; a max norm of 0 turns clipping off.
 */
public final class GradientClipping {

    private GradientClipping() {
    }

    public static float coefficient(double norm, double maxNorm) {
        if (maxNorm <= 0) {
            return 1f;
        }
        return (float) Math.min(1.0, maxNorm / (norm + 1e-6));
    }
}
