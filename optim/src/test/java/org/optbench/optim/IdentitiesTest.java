package org.optbench.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.optbench.kernels.cpu.CpuBackend;

/** Identities between optimizers that SPEC.md's rules imply. */
class IdentitiesTest {

    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** Ten steps of both harnesses on their {@code ln_f.weight} of n values, from the same start with the same gradients. */
    private static void trainSideBySide(SplittableRandom rng, int n, Harness a, Harness b) {
        float[] p = random(rng, n);
        a.set("ln_f.weight", p);
        b.set("ln_f.weight", p);
        for (int t = 1; t <= 10; t++) {
            float[] g = random(rng, n);
            a.grad("ln_f.weight", g);
            b.grad("ln_f.weight", g);
            a.step(t, 1f);
            b.step(t, 1f);
        }
    }

    @Test
    void adamWithEqualBetasMovesEachWeightByAtMostLrAndMatchesSignumOnASteadyGradient() {
        int n = 41;
        SplittableRandom rng = new SplittableRandom(3);
        Harness adam = new Harness(BACKEND, "adamw", Map.of("lr", 0.01, "beta1", 0.9, "beta2", 0.9, "eps", 0.0),
                "w", new int[] {n});
        Harness signum = new Harness(BACKEND, "signum", Map.of("lr", 0.01, "beta1", 0.9), "w", new int[] {n});
        float[] p = random(rng, n);
        adam.set("w", p);
        signum.set("w", p);
        float[] steady = random(rng, n);
        for (int t = 1; t <= 5; t++) {
            adam.grad("w", steady);
            signum.grad("w", steady);
            adam.step(t, 1f);
            signum.step(t, 1f);
        }
        assertArrayEquals(signum.get("w"), adam.get("w"), 1e-6f, "a constant gradient: m/sqrt(v) = sign(g)");
        float[] before = adam.get("w");
        for (int t = 6; t <= 30; t++) {
            adam.grad("w", random(rng, n));
            adam.step(t, 1f);
            float[] after = adam.get("w");
            for (int i = 0; i < n; i++) {
                assertTrue(Math.abs(after[i] - before[i]) <= 0.01f * (1 + 1e-5f),
                        "|m| <= sqrt(v) when beta1 = beta2 (Cauchy-Schwarz), step " + t);
            }
            before = after;
        }
    }

    @Test
    void adafactorOnAVectorWithVectorModeFullIsAdam() {
        int n = 33;
        SplittableRandom rng = new SplittableRandom(5);
        Map<String, Object> hp = Map.of("lr", 0.02, "beta1", 0.8, "beta2", 0.97, "eps", 1e-8);
        Harness adam = new Harness(BACKEND, "adamw", hp, "ln_f.weight", new int[] {n});
        Map<String, Object> full = new HashMap<>(hp);
        full.put("vector_mode", "full");
        Harness adafactor = new Harness(BACKEND, "adafactor", full, "ln_f.weight", new int[] {n});
        trainSideBySide(rng, n, adam, adafactor);
        assertArrayEquals(adam.get("ln_f.weight"), adafactor.get("ln_f.weight"), 0f);
    }

    /**
     * Plain {@code adafactor} keeps one second-moment scalar per 1-D tensor, as the authors' code
     * does (PyTorch's {@code mean(dim=[])} over all dimensions): on a vector it is Adalayer's
     * whole-tensor block, bit for bit.
     */
    @Test
    void adafactorOnAVectorKeepsOneScalarByDefault() {
        int n = 33;
        SplittableRandom rng = new SplittableRandom(6);
        Map<String, Object> hp = Map.of("lr", 0.02, "beta1", 0.8, "beta2", 0.97, "eps", 1e-8);
        Harness adalayer = new Harness(BACKEND, "adalayer", hp, "ln_f.weight", new int[] {n});
        Harness adafactor = new Harness(BACKEND, "adafactor", hp, "ln_f.weight", new int[] {n});
        trainSideBySide(rng, n, adalayer, adafactor);
        assertArrayEquals(adalayer.get("ln_f.weight"), adafactor.get("ln_f.weight"), 0f);
        assertEquals(1, adafactor.optimizer.stateBytesByGroup().values().iterator().next() / 4 - n,
                "exp_avg per element and one exp_avg_sq scalar");
    }

    @Test
    void adafactorOnARankOneSecondMomentIsAdam() {
        // g = outer(a, b) every step makes g^2 rank one, so the factored v is exact.
        int rows = 4;
        int cols = 6;
        SplittableRandom rng = new SplittableRandom(8);
        Map<String, Object> hp = Map.of("lr", 0.02, "beta1", 0.9, "beta2", 0.95, "eps", 1e-8);
        Harness adam = new Harness(BACKEND, "adamw", hp, "m", new int[] {rows, cols});
        Harness adafactor = new Harness(BACKEND, "adafactor", hp, "m", new int[] {rows, cols});
        float[] p = random(rng, rows * cols);
        adam.set("m", p);
        adafactor.set("m", p);
        float[] a = random(rng, rows);
        float[] b = random(rng, cols);
        for (int t = 1; t <= 6; t++) {
            float[] g = new float[rows * cols];
            double s = 1 + 0.1 * t;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    g[i * cols + j] = (float) (s * a[i] * b[j]);
                }
            }
            adam.grad("m", g);
            adafactor.grad("m", g);
            adam.step(t, 1f);
            adafactor.step(t, 1f);
        }
        assertArrayEquals(adam.get("m"), adafactor.get("m"), 2e-5f);
    }

    @Test
    void paperScheduleFollowsTheSpecFormulaAndTheOthersShareWarmupAndFloor() {
        LrSchedule s = LrSchedule.paper(10, 100);
        assertEquals(2.0 * (0.1 + 0.9 * 1 / 10.0), s.lr(2.0, 1), 1e-12);
        assertEquals(1.0, s.factor(10), 1e-12);
        assertEquals(0.1 + 0.9 * (1 + Math.cos(Math.PI * 45 / 90.0)) / 2, s.factor(55), 1e-12);
        assertEquals(0.1, s.factor(100), 1e-12);
        assertEquals(0.1, s.factor(500), 1e-12);
        LrSchedule linear = new LrSchedule(LrSchedule.Kind.LINEAR, 10, 100);
        assertEquals(1 - 0.9 * 45 / 90.0, linear.factor(55), 1e-12);
        LrSchedule wsd = new LrSchedule(LrSchedule.Kind.WSD, 10, 100);
        assertEquals(1.0, wsd.factor(80), 1e-12);
        assertEquals(1 - 0.9 * 10 / 20.0, wsd.factor(90), 1e-12);
        assertEquals(0.55, wsd.factor(5), 1e-12);
        assertEquals(1.0, LrSchedule.constant().factor(1000));
        assertEquals(1f, GradientClipping.coefficient(0.5, 1.0));
        assertEquals(1.0 / (4.0 + 1e-6), GradientClipping.coefficient(4.0, 1.0), 1e-7);
        assertEquals(1f, GradientClipping.coefficient(4.0, 0.0));
    }
}
