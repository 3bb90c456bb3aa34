package org.optbench.model;

import java.util.SplittableRandom;

/**
 * The seeded "mitchell" initialisation of OLMo: truncated normal weights (cut at 3 standard
 * deviations) with std 1/sqrt(fan_in) for {@code wte}, the QKV and MLP input projections and the
 * LM head; std 1/sqrt(2 * fan_in * (layer + 1)) for the two output projections of block
 * {@code layer}; LayerNorm weights 1. Each tensor draws from its own stream, seeded by the run
 * seed and the tensor's name, so values do not depend on the order tensors are visited, and the
 * normal deviates come from a Box-Muller transform written here so they are the same on every JDK.
 */
public final class Initializer {

    private Initializer() {
    }

    /** Fills {@code values} (the parameter's elements) for the parameter {@code spec}. */
    public static void initialize(ParameterSpec spec, float[] values, long seed) {
        String name = spec.name();
        if (spec.rank() == 1) {
            java.util.Arrays.fill(values, 1f);
            return;
        }
        int fanIn = spec.dim(1);
        double std = 1.0 / Math.sqrt(fanIn);
        if (name.endsWith("attn.proj.weight") || name.endsWith("mlp.proj.weight")) {
            int layer = Integer.parseInt(name.split("\\.")[1]);
            std = 1.0 / Math.sqrt(2.0 * fanIn * (layer + 1));
        }
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode());
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (std * truncatedNormal(rng));
        }
    }

    private static double truncatedNormal(SplittableRandom rng) {
        while (true) {
            double u1 = rng.nextDouble();
            double u2 = rng.nextDouble();
            double z = Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2.0 * Math.PI * u2);
            if (Math.abs(z) <= 3.0) {
                return z;
            }
        }
    }
}
