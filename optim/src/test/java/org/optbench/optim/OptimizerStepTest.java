package org.optbench.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.optim.hyperparameter.HyperparameterException;

/**
 * One or two steps of every optimizer on small tensors, against values computed here in double
 * precision from the update rules of SPEC.md (bias correction at t = 1 and t = 2 included).
 */
class OptimizerStepTest {

    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    /** n values with a vector body and a scalar tail, mixed signs and one exact zero. */
    private static float[] values(int n, double a, double b) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (a * Math.sin(1.3 * i + b) + (i % 5 == 0 ? 0 : 0.05 * b));
        }
        return v;
    }

    private static void assertClose(double[] want, float[] got, double tol, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol * Math.max(1, Math.abs(want[i])), what + " element " + i);
        }
    }

    @Test
    void sgdHeavyBallAndNesterovWithTorchDecay() {
        for (boolean nesterov : new boolean[] {false, true}) {
            int n = 37;
            Harness h = new Harness(BACKEND, "sgd", Map.of("lr", 0.1, "momentum", 0.9, "nesterov", nesterov,
                    "wd", 0.01), "w", new int[] {n});
            float[] p0 = values(n, 1, 0.3);
            float[] g1 = values(n, 0.5, 1.1);
            float[] g2 = values(n, 0.7, 2.3);
            h.set("w", p0);
            h.grad("w", g1);
            h.step(1, 0.5f);
            h.grad("w", g2);
            h.step(2, 1f);
            double[] want = new double[n];
            for (int i = 0; i < n; i++) {
                double buf = 0.5 * g1[i];
                double p = p0[i] * (1 - 0.1 * 0.01) - 0.1 * (nesterov ? 0.5 * g1[i] + 0.9 * buf : buf);
                buf = 0.9 * buf + g2[i];
                p = p * (1 - 0.1 * 0.01) - 0.1 * (nesterov ? g2[i] + 0.9 * buf : buf);
                want[i] = p;
            }
            assertClose(want, h.get("w"), 1e-6, "sgd nesterov=" + nesterov);
        }
    }

    @Test
    void adamwTwoStepsWithBiasCorrectionClippingAndPaperDecay() {
        int n = 37;
        Harness h = new Harness(BACKEND, "adamw", Map.of("lr", 0.1, "beta1", 0.9, "beta2", 0.95, "eps", 1e-8,
                "wd", 0.01, "wd_mode", "paper"), "w", new int[] {n});
        float[] p0 = values(n, 1, 0.3);
        float[] g1 = values(n, 0.5, 1.1);
        float[] g2 = values(n, 0.7, 2.3);
        h.set("w", p0);
        h.grad("w", g1);
        h.step(1, 0.5f);
        h.grad("w", g2);
        h.step(2, 1f);
        double[] want = new double[n];
        for (int i = 0; i < n; i++) {
            double g = 0.5 * g1[i];
            double m = 0.1 * g;
            double v = 0.05 * g * g;
            // paper decay: lr_t * wd / peak_lr = wd at a constant schedule.
            double p = p0[i] * (1 - 0.01) - 0.1 * (m / 0.1) / (Math.sqrt(v / 0.05) + 1e-8);
            m = 0.9 * m + 0.1 * g2[i];
            v = 0.95 * v + 0.05 * g2[i] * g2[i];
            p = p * (1 - 0.01) - 0.1 * (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.9025)) + 1e-8);
            want[i] = p;
        }
        assertClose(want, h.get("w"), 2e-6, "adamw");
    }

    @Test
    void momentumIsBiasCorrectedEmaWithoutSecondMoment() {
        int n = 21;
        Harness h = new Harness(BACKEND, "momentum", Map.of("lr", 0.5, "beta1", 0.8), "w", new int[] {3, 7});
        float[] p0 = values(n, 1, 0.2);
        float[] g1 = values(n, 0.3, 0.9);
        float[] g2 = values(n, 0.6, 1.7);
        h.set("w", p0);
        h.grad("w", g1);
        h.step(1, 1f);
        h.grad("w", g2);
        h.step(2, 1f);
        double[] want = new double[n];
        for (int i = 0; i < n; i++) {
            double m = 0.2 * g1[i];
            double p = p0[i] - 0.5 * m / 0.2;
            m = 0.8 * m + 0.2 * g2[i];
            want[i] = p - 0.5 * m / (1 - 0.64);
        }
        assertClose(want, h.get("w"), 1e-6, "momentum");
    }

    @Test
    void lionAndSignumTakeTheSignOfTheInterpolation() {
        int n = 19;
        float[] p0 = values(n, 1, 0.4);
        float[] g1 = values(n, 0.3, 0.0);
        float[] g2 = values(n, 0.6, 1.9);
        g1[3] = 0f;
        g2[3] = 0f;
        for (String name : new String[] {"lion", "signum"}) {
            Map<String, Object> hp = name.equals("lion") ? Map.of("lr", 0.01, "beta1", 0.9, "beta2", 0.99)
                    : Map.of("lr", 0.01, "beta1", 0.9);
            double b2 = name.equals("lion") ? 0.99 : 0.9;
            Harness h = new Harness(BACKEND, name, hp, "w", new int[] {n});
            h.set("w", p0);
            h.grad("w", g1);
            h.step(1, 1f);
            h.grad("w", g2);
            h.step(2, 1f);
            double[] want = new double[n];
            for (int i = 0; i < n; i++) {
                double m = 0;
                double p = p0[i] - 0.01 * Math.signum(0.9 * m + 0.1 * g1[i]);
                m = b2 * m + (1 - b2) * g1[i];
                p -= 0.01 * Math.signum(0.9 * m + 0.1 * g2[i]);
                want[i] = p;
            }
            assertEquals(p0[3], h.get("w")[3], 0f, name + ": sign(0) = 0 leaves the weight");
            assertClose(want, h.get("w"), 1e-6, name);
        }
    }

    @Test
    void sophiaStepsBySignBeforeItsFirstEstimateAndClipsAfterIt() {
        int n = 21;
        long tokens = 64;
        float[] p0 = values(n, 1, 0.7);
        float[] g1 = values(n, 0.4, 1.3);
        float[] g2 = values(n, 0.6, 2.1);
        float[] estimate = values(n, 0.05, 0.9);
        g1[5] = 0f;
        Harness h = new Harness(BACKEND, "sophia", Map.of("lr", 0.1, "beta1", 0.8, "beta2", 0.9, "rho", 0.5,
                "wd", 0.2, "hessian_interval", 2), "w", new int[] {n});
        h.set("w", p0);
        h.grad("w", g1);
        h.step(1, 0.5f);
        assertTrue(!h.optimizer.curvatureDue(1) && h.optimizer.curvatureDue(2), "an estimate after every 2nd step");
        float[] afterOne = h.get("w");
        h.grad("w", g2);
        h.step(2, 1f);
        h.grad("w", estimate);
        h.optimizer.updateCurvature(2, tokens);
        h.grad("w", g1);
        h.step(3, 1f);
        double[] wantOne = new double[n];
        double[] want = new double[n];
        for (int i = 0; i < n; i++) {
            double m = 0.2 * 0.5 * g1[i];
            double p = p0[i] * (1 - 0.1 * 0.2) - 0.1 * Math.signum(m);
            wantOne[i] = p;
            m = 0.8 * m + 0.2 * g2[i];
            p = p * (1 - 0.1 * 0.2) - 0.1 * Math.signum(m);
            double hess = 0.1 * tokens * estimate[i] * estimate[i];
            m = 0.8 * m + 0.2 * g1[i];
            want[i] = p * (1 - 0.1 * 0.2) - 0.1 * Math.signum(m) * Math.min(Math.abs(m) / (0.5 * hess + 1e-15), 1);
        }
        assertEquals(p0[5] * (1 - 0.1f * 0.2f), afterOne[5], 1e-7, "sign(0) = 0: only the decay moves it");
        assertClose(wantOne, afterOne, 1e-6, "sophia step 1 (no estimate yet: lr * sign(m))");
        assertClose(want, h.get("w"), 1e-6, "sophia step 3 (clipped by rho * h)");
    }

    @Test
    void sophiaOnAQuadraticWithAKnownDiagonalTakesTheClippedNewtonStep() {
        int n = 21;
        long tokens = 100;
        double[] d = new double[n];
        float[] x = new float[n];
        float[] sqrtDiagOverTokens = new float[n];
        float[] grad = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = 0.5 + 0.25 * i;
            x[i] = (float) ((i % 2 == 0 ? 1 : -1) * (i < 14 ? 0.1 + 0.06 * i : 1.5 + 0.1 * i));
            sqrtDiagOverTokens[i] = (float) Math.sqrt(d[i] / tokens);
            grad[i] = (float) (d[i] * x[i]);
        }
        Harness h = new Harness(BACKEND, "sophia", Map.of("lr", 1.0, "beta1", 0.0, "beta2", 0.0, "rho", 1.0,
                "hessian_interval", 1), "x", new int[] {n});
        h.set("x", x);
        h.grad("x", sqrtDiagOverTokens);
        h.optimizer.updateCurvature(1, tokens);
        h.grad("x", grad);
        h.step(1, 1f);
        float[] after = h.get("x");
        for (int i = 0; i < n; i++) {
            if (Math.abs(x[i]) < 1) {
                assertEquals(0, after[i], 1e-6, "element " + i + ": |x| < 1, the Newton step d*x/d lands on the minimum");
            } else {
                assertEquals(x[i] - Math.signum(x[i]), after[i], 1e-6, "element " + i + ": the step is clipped to lr");
            }
        }
    }

    @Test
    void adalayerUsesQkvThirdsHeadRowsAndWholeTensors() {
        int c = 4;
        int v = 3;
        Harness h = new Harness(BACKEND, "adalayer", Map.of("lr", 0.1, "beta1", 0.9, "beta2", 0.95, "eps", 1e-8),
                "blocks.0.attn.qkv.weight", new int[] {3 * c, c}, "lm_head.weight", new int[] {v, c},
                "ln_f.weight", new int[] {c});
        String[] names = {"blocks.0.attn.qkv.weight", "lm_head.weight", "ln_f.weight"};
        int[] blockSizes = {c * c, c, c};
        for (int k = 0; k < names.length; k++) {
            int n = (int) h.spec(names[k]).count();
            h.set(names[k], values(n, 1, k));
        }
        float[][] g1 = new float[3][];
        float[][] g2 = new float[3][];
        for (int k = 0; k < names.length; k++) {
            int n = (int) h.spec(names[k]).count();
            g1[k] = values(n, 0.2 * (k + 1), 0.7 + k);
            g2[k] = values(n, 0.5, 2.1 + k);
        }
        for (int k = 0; k < 3; k++) {
            h.grad(names[k], g1[k]);
        }
        h.step(1, 1f);
        for (int k = 0; k < 3; k++) {
            h.grad(names[k], g2[k]);
        }
        h.step(2, 1f);
        for (int k = 0; k < names.length; k++) {
            int n = (int) h.spec(names[k]).count();
            float[] p0 = values(n, 1, k);
            double[] want = new double[n];
            int bs = blockSizes[k];
            for (int blk = 0; blk < n / bs; blk++) {
                double ms1 = 0;
                double ms2 = 0;
                for (int i = blk * bs; i < (blk + 1) * bs; i++) {
                    ms1 += g1[k][i] * (double) g1[k][i] / bs;
                    ms2 += g2[k][i] * (double) g2[k][i] / bs;
                }
                double v1 = 0.05 * ms1;
                double v2 = 0.95 * v1 + 0.05 * ms2;
                for (int i = blk * bs; i < (blk + 1) * bs; i++) {
                    double m = 0.1 * g1[k][i];
                    double p = p0[i] - 0.1 * (m / 0.1) / (Math.sqrt(v1 / 0.05) + 1e-8);
                    m = 0.9 * m + 0.1 * g2[k][i];
                    want[i] = p - 0.1 * (m / 0.19) / (Math.sqrt(v2 / 0.0975) + 1e-8);
                }
            }
            assertClose(want, h.get(names[k]), 2e-6, "adalayer " + names[k]);
        }
    }

    @Test
    void adamwWithTiedBetasUsesBeta1ForTheSecondMoment() {
        int n = 29;
        Harness h = new Harness(BACKEND, "adamw", Map.of("lr", 0.1, "beta1", 0.8, "tie_betas", true, "eps", 1e-8),
                "w", new int[] {n});
        float[] p0 = values(n, 1, 0.4);
        float[] g1 = values(n, 0.5, 1.3);
        float[] g2 = values(n, 0.7, 2.9);
        h.set("w", p0);
        h.grad("w", g1);
        h.step(1, 1f);
        h.grad("w", g2);
        h.step(2, 1f);
        double[] want = new double[n];
        for (int i = 0; i < n; i++) {
            double m = 0.2 * g1[i];
            double v = 0.2 * g1[i] * g1[i];
            double p = p0[i] - 0.1 * (m / 0.2) / (Math.sqrt(v / 0.2) + 1e-8);
            m = 0.8 * m + 0.2 * g2[i];
            v = 0.8 * v + 0.2 * g2[i] * g2[i];
            want[i] = p - 0.1 * (m / 0.36) / (Math.sqrt(v / 0.36) + 1e-8);
        }
        assertClose(want, h.get("w"), 2e-6, "adamw tie_betas");
        HyperparameterException both = assertThrows(HyperparameterException.class,
                () -> OptimizerKind.ADAMW.resolve(Map.of("tie_betas", true, "beta2", 0.99)));
        assertTrue(both.getMessage().contains("remove beta2 or tie_betas"),
                both.getMessage());
    }

    /**
     * Adalayer on one whole-tensor block, in double precision: {@code corrected} names the
     * bias-corrected moments (both, first, second, none); with {@code freeze} > 0 the authors'
     * frozen variant: LR 0 for the first freeze steps while v is a running mean (weight 1/(t+1)),
     * then v kept unless {@code keepsUpdating} (the LM head, the LayerNorms), and no second-moment
     * correction.
     */
    private static double[] adalayerSteps(float[] p0, float[][] g, String corrected, int freeze, boolean keepsUpdating) {
        int n = p0.length;
        double[] p = new double[n];
        double[] m = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = p0[i];
        }
        double v = 0;
        for (int t = 1; t <= g.length; t++) {
            double ms = 0;
            for (float x : g[t - 1]) {
                ms += x * (double) x / n;
            }
            if (freeze == 0 || t > freeze && keepsUpdating) {
                v = 0.95 * v + 0.05 * ms;
            } else if (t <= freeze) {
                v = v + (ms - v) / (t + 1);
            }
            double lr = t <= freeze ? 0 : 0.1;
            boolean first = corrected.equals("both") || corrected.equals("first");
            boolean second = freeze == 0 && (corrected.equals("both") || corrected.equals("second"));
            double c1 = first ? 1 / (1 - Math.pow(0.9, t)) : 1;
            double c2 = second ? 1 / (1 - Math.pow(0.95, t)) : 1;
            for (int i = 0; i < n; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[t - 1][i];
                p[i] -= lr * m[i] * c1 / (Math.sqrt(v * c2) + 1e-8);
            }
        }
        return p;
    }

    @Test
    void adalayerBiasCorrectionsAndTheAuthorsFrozenVariant() {
        int n = 7;
        float[][] g = {values(n, 0.2, 0.7), values(n, 0.9, 2.1), values(n, 0.05, 3.3), values(n, 0.4, 1.3)};
        float[] p0 = values(n, 1, 0.5);
        Object[][] cases = {{"both", 0}, {"first", 0}, {"second", 0}, {"none", 0}, {"both", 1}, {"both", 2},
            {"none", 2}, {"second", 3}};
        for (Object[] c : cases) {
            String corrected = (String) c[0];
            int freeze = (Integer) c[1];
            Harness h = new Harness(BACKEND, GroupRules.named("adalayer"), Map.of("lr", 0.1, "beta1", 0.9, "beta2", 0.95,
                    "eps", 1e-8, "bias_correction", corrected, "t_freeze", freeze),
                    LrSchedule.constant().afterFreeze(freeze), "blocks.0.attn.proj.weight", new int[] {1, n},
                    "ln_f.weight", new int[] {n});
            h.set("blocks.0.attn.proj.weight", p0);
            h.set("ln_f.weight", p0);
            for (int t = 1; t <= g.length; t++) {
                h.grad("blocks.0.attn.proj.weight", g[t - 1]);
                h.grad("ln_f.weight", g[t - 1]);
                h.step(t, 1f);
                if (t <= freeze) {
                    assertArrayEquals(p0, h.get("blocks.0.attn.proj.weight"), "step " + t + " of the freeze moves nothing");
                }
            }
            String label = "adalayer bias_correction=" + corrected + " t_freeze=" + freeze;
            assertClose(adalayerSteps(p0, g, corrected, freeze, false), h.get("blocks.0.attn.proj.weight"), 2e-6,
                    label + ", a frozen block");
            assertClose(adalayerSteps(p0, g, corrected, freeze, true), h.get("ln_f.weight"), 2e-6,
                    label + ", a LayerNorm, which keeps updating");
        }
        HyperparameterException fraction = assertThrows(HyperparameterException.class,
                () -> OptimizerKind.ADALAYER.resolve(Map.of("t_freeze", 2.5)));
        assertTrue(fraction.getMessage().contains("t_freeze 2.5"), fraction.getMessage());
        HyperparameterException old = assertThrows(HyperparameterException.class,
                () -> OptimizerKind.ADALAYER.resolve(Map.of("bias_correction", false)));
        assertTrue(old.getMessage().contains("[both, first, second, none]"), old.getMessage());
    }

    private static double[] adafactorTwoSteps(float[] p0, float[] g1, float[] g2, int rows, int cols, double b1) {
        double b2 = 0.95;
        double eps = 1e-8;
        double lr = 0.1;
        double[] p = new double[p0.length];
        double[] m = new double[p0.length];
        double[] r = new double[rows];
        double[] c = new double[cols];
        for (int i = 0; i < p.length; i++) {
            p[i] = p0[i];
        }
        float[][] gs = {g1, g2};
        for (int t = 1; t <= 2; t++) {
            float[] g = gs[t - 1];
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += g[i * cols + j] * (double) g[i * cols + j];
                }
                r[i] = b2 * r[i] + (1 - b2) * s / cols;
            }
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int i = 0; i < rows; i++) {
                    s += g[i * cols + j] * (double) g[i * cols + j];
                }
                c[j] = b2 * c[j] + (1 - b2) * s / rows;
            }
            double rMean = 0;
            for (double x : r) {
                rMean += x / rows;
            }
            double bc1 = 1 - Math.pow(b1, t);
            double bc2 = 1 - Math.pow(b2, t);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    int k = i * cols + j;
                    m[k] = b1 * m[k] + (1 - b1) * g[k];
                    double mhat = b1 == 0 ? g[k] : m[k] / bc1;
                    double vhat = (r[i] / bc2) * (c[j] / bc2) / (rMean / bc2);
                    p[k] -= lr * mhat / (Math.sqrt(vhat) + eps);
                }
            }
        }
        return p;
    }

    @Test
    void adafactorFactorsTheSecondMomentOfMatricesWithAndWithoutMomentum() {
        int rows = 3;
        int cols = 21;
        int n = rows * cols;
        float[] p0 = values(n, 1, 0.1);
        float[] g1 = values(n, 0.4, 1.3);
        float[] g2 = values(n, 0.2, 2.9);
        for (double b1 : new double[] {0.9, 0.0}) {
            Harness h = new Harness(BACKEND, "adafactor", Map.of("lr", 0.1, "beta1", b1, "beta2", 0.95, "eps", 1e-8),
                    "blocks.0.mlp.fc.weight", new int[] {rows, cols});
            h.set("blocks.0.mlp.fc.weight", p0);
            h.grad("blocks.0.mlp.fc.weight", g1);
            h.step(1, 1f);
            h.grad("blocks.0.mlp.fc.weight", g2);
            h.step(2, 1f);
            assertClose(adafactorTwoSteps(p0, g1, g2, rows, cols, b1), h.get("blocks.0.mlp.fc.weight"), 2e-6,
                    "adafactor beta1=" + b1);
            long stateFloats = (b1 > 0 ? n : 0) + rows + cols;
            assertEquals(4 * stateFloats, h.optimizer.stateBytes(), "beta1 = 0 keeps no momentum buffer");
        }
    }

    @Test
    void adafactorNeuronOnlyAndScalarModesAreBlockScalars() {
        int rows = 2;
        int cols = 5;
        Harness neuron = new Harness(BACKEND, "adafactor", Map.of("lr", 0.1, "neuron_only", true, "eps", 1e-8),
                "m", new int[] {rows, cols});
        Harness perRow = new Harness(BACKEND, GroupRules.parse("- {params: m, optimizer: adalayer, lr: 0.1, eps: 1e-8}",
                "test"), Map.of(), LrSchedule.constant(), "m", new int[] {rows, cols});
        Harness scalar = new Harness(BACKEND, "adafactor", Map.of("lr", 0.1, "vector_mode", "scalar", "eps", 1e-8),
                "v", new int[] {7});
        float[] p = values(10, 1, 0.5);
        float[] g = values(10, 0.3, 1.5);
        neuron.set("m", p);
        neuron.grad("m", g);
        neuron.step(1, 1f);
        // Adalayer on a 2-D tensor not named qkv or lm_head is one block: differs from per-row.
        perRow.set("m", p);
        perRow.grad("m", g);
        perRow.step(1, 1f);
        double[] want = new double[10];
        for (int i = 0; i < rows; i++) {
            double ms = 0;
            for (int j = 0; j < cols; j++) {
                ms += g[i * cols + j] * (double) g[i * cols + j] / cols;
            }
            for (int j = 0; j < cols; j++) {
                want[i * cols + j] = p[i * cols + j] - 0.1 * g[i * cols + j] / (Math.sqrt(ms) + 1e-8);
            }
        }
        assertClose(want, neuron.get("m"), 2e-6, "neuron_only");
        float[] pv = values(7, 1, 0.5);
        float[] gv = values(7, 0.3, 1.5);
        scalar.set("v", pv);
        scalar.grad("v", gv);
        scalar.step(1, 1f);
        double ms = 0;
        for (float x : gv) {
            ms += x * (double) x / 7;
        }
        double[] wantV = new double[7];
        for (int i = 0; i < 7; i++) {
            wantV[i] = pv[i] - 0.1 * gv[i] / (Math.sqrt(ms) + 1e-8);
        }
        assertClose(wantV, scalar.get("v"), 2e-6, "vector_mode scalar");
        assertEquals(4 * (7 + 1), scalar.optimizer.stateBytes());
    }

    /** Newton-Schulz as the reference implementation writes it, in double precision. */
    private static double[][] newtonSchulz(double[][] g) {
        int r = g.length;
        int c = g[0].length;
        boolean tall = r > c;
        double[][] x = tall ? transpose(g) : copy(g);
        double norm = 0;
        for (double[] row : x) {
            for (double v : row) {
                norm += v * v;
            }
        }
        norm = Math.sqrt(norm) + 1e-7;
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= norm;
            }
        }
        for (int it = 0; it < 5; it++) {
            double[][] a = mul(x, transpose(x));
            double[][] aa = mul(a, a);
            double[][] b = new double[a.length][a.length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a.length; j++) {
                    b[i][j] = -4.7750 * a[i][j] + 2.0315 * aa[i][j];
                }
            }
            double[][] bx = mul(b, x);
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x[0].length; j++) {
                    x[i][j] = 3.4445 * x[i][j] + bx[i][j];
                }
            }
        }
        return tall ? transpose(x) : x;
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] out = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < b[0].length; j++) {
                    out[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return out;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Test
    void muonOrthogonalisesNesterovMomentumOfWideAndTallMatrices() {
        for (int[] shape : new int[][] {{3, 20}, {20, 3}}) {
            int r = shape[0];
            int c = shape[1];
            int n = r * c;
            Harness h = new Harness(BACKEND, GroupRules.parse("- {params: w, optimizer: muon, lr: 0.05, momentum: 0.9, wd: 0.1}",
                    "test"), Map.of(), LrSchedule.constant(), "w", new int[] {r, c});
            float[] p0 = values(n, 1, 0.2);
            float[] g1 = values(n, 0.5, 1.2);
            float[] g2 = values(n, 0.3, 2.2);
            h.set("w", p0);
            h.grad("w", g1);
            h.step(1, 1f);
            h.grad("w", g2);
            h.step(2, 1f);
            double[] p = new double[n];
            double[] buf = new double[n];
            for (int i = 0; i < n; i++) {
                p[i] = p0[i];
            }
            double scale = Math.sqrt(Math.max(1.0, (double) r / c));
            for (float[] g : new float[][] {g1, g2}) {
                double[][] u = new double[r][c];
                for (int i = 0; i < n; i++) {
                    buf[i] = 0.9 * buf[i] + g[i];
                    u[i / c][i % c] = g[i] + 0.9 * buf[i];
                }
                double[][] o = newtonSchulz(u);
                for (int i = 0; i < n; i++) {
                    p[i] = p[i] * (1 - 0.05 * 0.1) - 0.05 * scale * o[i / c][i % c];
                }
            }
            assertClose(p, h.get("w"), 2e-5, "muon " + r + "x" + c);
        }
    }
}
