package org.optbench.kernels;

/**
 * Adam's bias correction {@code 1 / (1 - beta^step)}, computed in double precision and rounded
 * once to float: the one formula every backend and update rule uses, so the CPU and OpenCL
 * kernels receive bit-identical factors.
 */
public final class BiasCorrection {

    private BiasCorrection() {
    }

    /** {@code 1 / (1 - beta^step)} for an EMA coefficient {@code beta} after {@code step} updates. */
    public static float factor(float beta, int step) {
        return (float) (1.0 / (1.0 - Math.pow(beta, step)));
    }
}
