package org.optbench.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.optbench.kernels.FloatTensor;
import org.optbench.kernels.cpu.CpuBackend;

class AdamWTest {

    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    @Test
    void twoHandComputedStepsWithBiasCorrectionClippingAndDecay() {
        int n = 37; // vector body plus a scalar tail
        float[] p0 = new float[n];
        float[] g1 = new float[n];
        float[] g2 = new float[n];
        for (int i = 0; i < n; i++) {
            p0[i] = 0.5f - 0.03f * i;
            g1[i] = (i % 3 - 1) * 0.2f + 0.01f * i;
            g2[i] = 0.3f - 0.02f * i;
        }
        FloatTensor p = BACKEND.allocate(n);
        FloatTensor g = BACKEND.allocate(n);
        BACKEND.write(p, p0, 0, n);
        AdamW opt = new AdamW(BACKEND, p, g, new AdamW.Config(0.1f, 0.9f, 0.95f, 1e-8f, 0.01f));
        BACKEND.write(g, g1, 0, n);
        opt.step(1, 0.1f, 0.5f);
        BACKEND.write(g, g2, 0, n);
        opt.step(2, 0.05f, 1f);
        float[] got = new float[n];
        BACKEND.read(got, 0, p, n);
        for (int i = 0; i < n; i++) {
            double g1s = 0.5 * g1[i];
            double m = 0.1 * g1s;
            double v = 0.05 * g1s * g1s;
            // t = 1: mhat = g, vhat = g^2, so the update is lr * g / (|g| + eps).
            double x = p0[i] * (1 - 0.1 * 0.01) - 0.1 * (m / 0.1) / (Math.sqrt(v / 0.05) + 1e-8);
            m = 0.9 * m + 0.1 * g2[i];
            v = 0.95 * v + 0.05 * g2[i] * g2[i];
            x = x * (1 - 0.05 * 0.01) - 0.05 * (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.9025)) + 1e-8);
            assertEquals(x, got[i], 2e-6, "element " + i);
        }
        assertEquals(2L * 4 * n, opt.stateBytes());
    }

    @Test
    void hyperparametersAreValidatedWithNameValueAndRange() {
        HyperparameterException e = assertThrows(HyperparameterException.class,
                () -> new AdamW.Config(1e-3f, 1.0f, 0.95f, 1e-8f, 0f));
        assertTrue(e.getMessage().contains("beta1 1.0") && e.getMessage().contains("[0.0, 1.0)"), e.getMessage());
        assertThrows(HyperparameterException.class, () -> AdamW.Config.paper(Float.NaN));
        assertThrows(HyperparameterException.class, () -> AdamW.Config.paper(-1f));
    }

    @Test
    void paperScheduleFollowsTheSpecFormula() {
        LrSchedule s = LrSchedule.paper(1.0, 10, 100);
        assertEquals(0.1 + 0.9 * 1 / 10.0, s.lr(1), 1e-12);
        assertEquals(1.0, s.lr(10), 1e-12);
        assertEquals(0.1 + 0.9 * (1 + Math.cos(Math.PI * 45 / 90.0)) / 2, s.lr(55), 1e-12);
        assertEquals(0.1, s.lr(100), 1e-12);
        assertEquals(0.1, s.lr(500), 1e-12);
        assertEquals(1f, GradientClipping.coefficient(0.5, 1.0));
        assertEquals(1.0 / (4.0 + 1e-6), GradientClipping.coefficient(4.0, 1.0), 1e-7);
        assertEquals(1f, GradientClipping.coefficient(4.0, 0.0));
    }
}
