package org.optbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The labels of Sophia's curvature estimate follow the model's output distribution, and the
 * Gauss-Newton-Bartlett estimate they give is unbiased for the Gauss-Newton diagonal of the
 * cross-entropy in the logits: E[(softmax - onehot(y))_j^2] = p_j (1 - p_j) for y drawn from p.
 * The uniforms are a pure function of seed, step and row, so a resumed run draws the same labels.
 */
class SampledLabelsTest {

    private static final float[] LOGITS = {1.5f, -0.3f, 0.0f, 2.2f, -1.7f, 0.9f, 0.4f};
    private static final int DRAWS = 200_000;

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int j = 0; j < logits.length; j++) {
            p[j] = Math.exp(logits[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < logits.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    @Test
    void labelsFollowTheSoftmaxAndTheEstimateIsTheGaussNewtonDiagonal() {
        int v = LOGITS.length;
        double[] p = softmax(LOGITS);
        long[] counts = new long[v];
        double[] squared = new double[v];
        for (int i = 0; i < DRAWS; i++) {
            int y = SampledLabels.draw(LOGITS, 0, v, SampledLabels.uniform(7, 3, i));
            counts[y]++;
            for (int j = 0; j < v; j++) {
                double d = p[j] - (j == y ? 1 : 0);
                squared[j] += d * d;
            }
        }
        for (int j = 0; j < v; j++) {
            double sd = Math.sqrt(p[j] * (1 - p[j]) / DRAWS);
            assertEquals(p[j], (double) counts[j] / DRAWS, 5 * sd, "frequency of label " + j);
            assertEquals(p[j] * (1 - p[j]), squared[j] / DRAWS, 5 * sd, "E[(p - e_y)^2] of label " + j);
        }
    }

    @Test
    void uniformsArePureFunctionsOfSeedStepAndRow() {
        double u = SampledLabels.uniform(11, 20, 5);
        assertEquals(u, SampledLabels.uniform(11, 20, 5));
        assertNotEquals(u, SampledLabels.uniform(12, 20, 5));
        assertNotEquals(u, SampledLabels.uniform(11, 21, 5));
        assertNotEquals(u, SampledLabels.uniform(11, 20, 6));
        for (int i = 0; i < 10_000; i++) {
            double w = SampledLabels.uniform(i, i % 7, i * 31L);
            assertTrue(w >= 0 && w < 1, "uniform " + w);
        }
    }

    @Test
    void aRowOfOneLikelyLabelAlwaysDrawsIt() {
        float[] logits = {-100f, 50f, -100f, -3.4e38f};
        for (int i = 0; i < 1000; i++) {
            assertEquals(1, SampledLabels.draw(logits, 0, 4, SampledLabels.uniform(1, 1, i)));
        }
        assertEquals(1, SampledLabels.draw(logits, 0, 4, Math.nextDown(1.0)));
    }
}
