package org.optbench.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.optbench.kernels.FloatTensor;
import org.optbench.kernels.IntTensor;
import org.optbench.kernels.KernelException;

/** Hand-computed forward values and finite-difference checks for every backward kernel. */
class CpuKernelTest {

    private static final CpuBackend BACKEND = new CpuBackend(2);
    private static final double TOLERANCE = 2e-3;

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static FloatTensor upload(float[] values) {
        FloatTensor t = BACKEND.allocate(values.length);
        BACKEND.write(t, values, 0, values.length);
        return t;
    }

    private static IntTensor uploadInts(int[] values) {
        IntTensor t = BACKEND.allocateInts(values.length);
        BACKEND.writeInts(t, values, 0, values.length);
        return t;
    }

    private static float[] download(FloatTensor t, int n) {
        float[] out = new float[n];
        BACKEND.read(out, 0, t, n);
        return out;
    }

    @Test
    void matmulForwardAndBackwardMatchNaiveLoops() {
        SplittableRandom rng = new SplittableRandom(1);
        int n = 33;
        int c = 7;
        int oc = 130;
        float[] x = Checks.random(rng, n * c, 1);
        float[] w = Checks.random(rng, oc * c, 1);
        float[] dy = Checks.random(rng, n * oc, 1);
        float[] dw0 = Checks.random(rng, oc * c, 1);
        FloatTensor out = BACKEND.allocate(n * oc);
        FloatTensor dx = BACKEND.allocate(n * c);
        FloatTensor dw = upload(dw0);
        BACKEND.matmulForward(out, upload(x), upload(w), n, c, oc);
        BACKEND.matmulBackward(dx, dw, upload(dy), upload(x), upload(w), n, c, oc);
        double[] wantOut = new double[n * oc];
        double[] wantDx = new double[n * c];
        double[] wantDw = new double[oc * c];
        for (int i = 0; i < oc * c; i++) {
            wantDw[i] = dw0[i];
        }
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < oc; o++) {
                for (int i = 0; i < c; i++) {
                    wantOut[r * oc + o] += (double) x[r * c + i] * w[o * c + i];
                    wantDx[r * c + i] += (double) dy[r * oc + o] * w[o * c + i];
                    wantDw[o * c + i] += (double) dy[r * oc + o] * x[r * c + i];
                }
            }
        }
        assertTrue(Checks.maxAbsDiff(download(out, n * oc), wantOut) < 1e-4);
        assertTrue(Checks.maxAbsDiff(download(dx, n * c), wantDx) < 1e-4);
        assertTrue(Checks.maxAbsDiff(download(dw, oc * c), wantDw) < 1e-4, "dweight accumulates");
    }

    @Test
    void matmulBackwardMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(12);
        int n = 9;
        int c = 13;
        int oc = 35;
        float[] x = Checks.random(rng, n * c, 1);
        float[] w = Checks.random(rng, oc * c, 1);
        float[] dy = Checks.random(rng, n * oc, 1);
        FloatTensor out = BACKEND.allocate(n * oc);
        FloatTensor dx = BACKEND.allocate(n * c);
        FloatTensor dw = BACKEND.allocate(oc * c);
        BACKEND.matmulBackward(dx, dw, upload(dy), upload(x), upload(w), n, c, oc);
        java.util.function.DoubleSupplier loss = () -> {
            BACKEND.matmulForward(out, upload(x), upload(w), n, c, oc);
            return Checks.dot(download(out, n * oc), dy);
        };
        assertTrue(Checks.gradientError("matmul dinp", x, download(dx, n * c), loss, 1e-2f) < TOLERANCE);
        assertTrue(Checks.gradientError("matmul dweight", w, download(dw, oc * c), loss, 1e-2f) < TOLERANCE);
    }

    @Test
    void embeddingBackwardMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(13);
        int v = 7;
        int c = 70;
        int[] tokens = {3, 1, 3, 6, 0, 3};
        float[] wte = Checks.random(rng, v * c, 1);
        float[] dy = Checks.random(rng, tokens.length * c, 1);
        FloatTensor out = BACKEND.allocate(tokens.length * c);
        FloatTensor dwte = BACKEND.allocate(v * c);
        IntTensor ids = uploadInts(tokens);
        BACKEND.embeddingBackward(dwte, upload(dy), ids, tokens.length, c);
        java.util.function.DoubleSupplier loss = () -> {
            BACKEND.embeddingForward(out, ids, upload(wte), tokens.length, c);
            return Checks.dot(download(out, tokens.length * c), dy);
        };
        assertTrue(Checks.gradientError("embedding dwte", wte, download(dwte, v * c), loss, 1e-2f) < TOLERANCE);
    }

    @Test
    void layerNormForwardOfAHandComputedRow() {
        float[] x = {1f, 2f, 3f, 6f};
        float[] w = {1f, 2f, 0.5f, 1f};
        FloatTensor out = BACKEND.allocate(4);
        FloatTensor mean = BACKEND.allocate(1);
        FloatTensor rstd = BACKEND.allocate(1);
        BACKEND.layerNormForward(out, mean, rstd, upload(x), upload(w), 1, 4);
        double mu = 3.0;
        double var = (4 + 1 + 0 + 9) / 4.0;
        double r = 1 / Math.sqrt(var + 1e-5);
        assertEquals(mu, download(mean, 1)[0], 1e-6);
        assertEquals(r, download(rstd, 1)[0], 1e-6);
        float[] got = download(out, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals((x[i] - mu) * r * w[i], got[i], 1e-6);
        }
    }

    @Test
    void layerNormBackwardMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(2);
        int n = 5;
        int c = 37;
        float[] x = Checks.random(rng, n * c, 2);
        float[] w = Checks.random(rng, c, 1);
        float[] dy = Checks.random(rng, n * c, 1);
        FloatTensor out = BACKEND.allocate(n * c);
        FloatTensor mean = BACKEND.allocate(n);
        FloatTensor rstd = BACKEND.allocate(n);
        FloatTensor dx = upload(new float[n * c]);
        FloatTensor dw = upload(new float[c]);
        BACKEND.layerNormForward(out, mean, rstd, upload(x), upload(w), n, c);
        BACKEND.layerNormBackward(dx, dw, upload(dy), upload(x), upload(w), mean, rstd, n, c);
        java.util.function.DoubleSupplier loss = () -> {
            BACKEND.layerNormForward(out, mean, rstd, upload(x), upload(w), n, c);
            return Checks.dot(download(out, n * c), dy);
        };
        assertTrue(Checks.gradientError("layernorm dinp", x, download(dx, n * c), loss, 1e-2f) < TOLERANCE);
        assertTrue(Checks.gradientError("layernorm dweight", w, download(dw, c), loss, 1e-2f) < TOLERANCE);
    }

    @Test
    void layerNormBackwardAccumulatesIntoTheResidualGradient() {
        float[] x = {1f, -2f, 0.5f, 4f};
        float[] w = {1f, 1f, 1f, 1f};
        float[] dy = {0.3f, -0.1f, 0.2f, 0.7f};
        FloatTensor out = BACKEND.allocate(4);
        FloatTensor mean = BACKEND.allocate(1);
        FloatTensor rstd = BACKEND.allocate(1);
        BACKEND.layerNormForward(out, mean, rstd, upload(x), upload(w), 1, 4);
        FloatTensor fresh = upload(new float[4]);
        FloatTensor seeded = upload(new float[] {1f, 1f, 1f, 1f});
        BACKEND.layerNormBackward(fresh, BACKEND.allocate(4), upload(dy), upload(x), upload(w), mean, rstd, 1, 4);
        BACKEND.layerNormBackward(seeded, BACKEND.allocate(4), upload(dy), upload(x), upload(w), mean, rstd, 1, 4);
        float[] a = download(fresh, 4);
        float[] b = download(seeded, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(a[i] + 1f, b[i], 1e-6);
        }
    }

    @Test
    void ropeRotatesEachHalfPairByItsAngle() {
        // One head of size 4: pairs (0,2) and (1,3); position 1 uses angles 1 and 0.01.
        int t = 2;
        float[] cos = {1f, 1f, (float) Math.cos(1.0), (float) Math.cos(0.01)};
        float[] sin = {0f, 0f, (float) Math.sin(1.0), (float) Math.sin(0.01)};
        float[] x = {1f, 2f, 3f, 4f, 1f, 2f, 3f, 4f};
        FloatTensor out = BACKEND.allocate(8);
        BACKEND.ropeForward(out, upload(x), upload(cos), upload(sin), 1, t, 4, 1);
        float[] got = download(out, 8);
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, java.util.Arrays.copyOf(got, 4), 1e-6f);
        assertEquals(1 * Math.cos(1) - 3 * Math.sin(1), got[4], 1e-6);
        assertEquals(2 * Math.cos(0.01) - 4 * Math.sin(0.01), got[5], 1e-6);
        assertEquals(3 * Math.cos(1) + 1 * Math.sin(1), got[6], 1e-6);
        assertEquals(4 * Math.cos(0.01) + 2 * Math.sin(0.01), got[7], 1e-6);
    }

    @Test
    void ropeBackwardMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(3);
        int b = 2;
        int t = 5;
        int h = 2;
        int c = 2 * 36;
        int half = c / h / 2;
        float[] cos = new float[t * half];
        float[] sin = new float[t * half];
        for (int p = 0; p < t; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * Math.pow(10000, -2.0 * i / (c / h));
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
        float[] x = Checks.random(rng, b * t * c, 1);
        float[] dy = Checks.random(rng, b * t * c, 1);
        FloatTensor out = BACKEND.allocate(b * t * c);
        FloatTensor dx = BACKEND.allocate(b * t * c);
        FloatTensor cosT = upload(cos);
        FloatTensor sinT = upload(sin);
        BACKEND.ropeBackward(dx, upload(dy), cosT, sinT, b, t, c, h);
        java.util.function.DoubleSupplier loss = () -> {
            BACKEND.ropeForward(out, upload(x), cosT, sinT, b, t, c, h);
            return Checks.dot(download(out, b * t * c), dy);
        };
        assertTrue(Checks.gradientError("rope dinp", x, download(dx, b * t * c), loss, 1e-2f) < 1e-3);
    }

    private static double[] naiveAttention(float[] q, float[] k, float[] v, int b, int t, int c, int h) {
        int hs = c / h;
        double[] out = new double[b * t * c];
        for (int bb = 0; bb < b; bb++) {
            for (int head = 0; head < h; head++) {
                for (int tq = 0; tq < t; tq++) {
                    double[] s = new double[tq + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int t2 = 0; t2 <= tq; t2++) {
                        double dot = 0;
                        for (int i = 0; i < hs; i++) {
                            dot += (double) q[(bb * t + tq) * c + head * hs + i] * k[(bb * t + t2) * c + head * hs + i];
                        }
                        s[t2] = dot / Math.sqrt(hs);
                        max = Math.max(max, s[t2]);
                    }
                    double sum = 0;
                    for (int t2 = 0; t2 <= tq; t2++) {
                        s[t2] = Math.exp(s[t2] - max);
                        sum += s[t2];
                    }
                    for (int t2 = 0; t2 <= tq; t2++) {
                        for (int i = 0; i < hs; i++) {
                            out[(bb * t + tq) * c + head * hs + i] += s[t2] / sum * v[(bb * t + t2) * c + head * hs + i];
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void attentionForwardMatchesNaiveCausalSoftmax() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int[] shape : new int[][] {{2, 7, 12, 3}, {1, 70, 64, 2}, {2, 33, 96, 3}}) {
            int b = shape[0];
            int t = shape[1];
            int c = shape[2];
            int h = shape[3];
            float[] q = Checks.random(rng, b * t * c, 2);
            float[] k = Checks.random(rng, b * t * c, 2);
            float[] v = Checks.random(rng, b * t * c, 1);
            FloatTensor out = BACKEND.allocate(b * t * c);
            FloatTensor att = BACKEND.allocate(b * h * t * t);
            BACKEND.attentionForward(out, att, upload(q), upload(k), upload(v), b, t, c, h);
            double diff = Checks.maxAbsDiff(download(out, b * t * c), naiveAttention(q, k, v, b, t, c, h));
            System.out.printf("attention forward B=%d T=%d C=%d H=%d max abs diff %.2e%n", b, t, c, h, diff);
            assertTrue(diff < 1e-5, "max abs diff " + diff);
            float[] probs = download(att, b * h * t * t);
            for (int row = 0; row < b * h * t; row++) {
                int tq = row % t;
                double sum = 0;
                for (int t2 = 0; t2 < t; t2++) {
                    float p = probs[row * t + t2];
                    if (t2 > tq) {
                        assertEquals(0f, p, "future position " + t2 + " of query " + tq);
                    }
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-5);
            }
        }
    }

    @Test
    void attentionBackwardMatchesFiniteDifferences() {
        attentionGradientCheck(2, 6, 40, 2);
    }

    @Test
    void attentionBackwardMatchesFiniteDifferencesAcrossRowBlocks() {
        attentionGradientCheck(1, 70, 8, 2);
    }

    private static void attentionGradientCheck(int b, int t, int c, int h) {
        SplittableRandom rng = new SplittableRandom(5);
        int n = b * t * c;
        float[] q = Checks.random(rng, n, 1);
        float[] k = Checks.random(rng, n, 1);
        float[] v = Checks.random(rng, n, 1);
        float[] dy = Checks.random(rng, n, 1);
        FloatTensor out = BACKEND.allocate(n);
        FloatTensor att = BACKEND.allocate(b * h * t * t);
        FloatTensor dq = BACKEND.allocate(n);
        FloatTensor dk = upload(Checks.random(rng, n, 1));
        FloatTensor dv = upload(Checks.random(rng, n, 1));
        BACKEND.attentionForward(out, att, upload(q), upload(k), upload(v), b, t, c, h);
        BACKEND.attentionBackward(dq, dk, dv, upload(dy), att, upload(q), upload(k), upload(v), b, t, c, h);
        java.util.function.DoubleSupplier loss = () -> {
            BACKEND.attentionForward(out, att, upload(q), upload(k), upload(v), b, t, c, h);
            return Checks.dot(download(out, n), dy);
        };
        assertTrue(Checks.gradientError("attention dq", q, download(dq, n), loss, 1e-2f) < TOLERANCE);
        assertTrue(Checks.gradientError("attention dk", k, download(dk, n), loss, 1e-2f) < TOLERANCE);
        assertTrue(Checks.gradientError("attention dv", v, download(dv, n), loss, 1e-2f) < TOLERANCE);
    }

    @Test
    void geluForwardMatchesTheErfDefinition() {
        int n = 1001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -8f + 16f * i / (n - 1);
        }
        FloatTensor out = BACKEND.allocate(n);
        BACKEND.geluForward(out, upload(x), n);
        float[] got = download(out, n);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double want = x[i] * 0.5 * (1 + Erf.erf(x[i] / Math.sqrt(2)));
            worst = Math.max(worst, Math.abs(got[i] - want));
        }
        System.out.printf("gelu forward max abs diff vs erf definition %.2e%n", worst);
        assertTrue(worst < 1e-6, "max abs diff " + worst);
    }

    @Test
    void geluBackwardMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(6);
        int n = 77;
        float[] x = Checks.random(rng, n, 4);
        float[] dy = Checks.random(rng, n, 1);
        FloatTensor out = BACKEND.allocate(n);
        FloatTensor dx = BACKEND.allocate(n);
        BACKEND.geluBackward(dx, upload(x), upload(dy), n);
        java.util.function.DoubleSupplier loss = () -> {
            BACKEND.geluForward(out, upload(x), n);
            return Checks.dot(download(out, n), dy);
        };
        assertTrue(Checks.gradientError("gelu dinp", x, download(dx, n), loss, 1e-2f) < TOLERANCE);
    }

    @Test
    void geluBackwardFormsNoSubnormalFarFromZero() {
        int n = 1601;   // x from -40 to 40 by 0.05, vector lanes and the scalar tail alike
        float[] x = new float[n];
        float[] dy = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -40f + 0.05f * i;
            dy[i] = 1e-6f;
        }
        FloatTensor dx = BACKEND.allocate(n);
        BACKEND.geluBackward(dx, upload(x), upload(dy), n);
        float[] got = download(dx, n);
        for (int i = 0; i < n; i++) {
            float g = got[i];
            assertTrue(g == 0f || Math.abs(g) >= Float.MIN_NORMAL, "x " + x[i] + ": subnormal " + g);
            if (Math.abs(x[i]) > 10.5f) {
                float cdf = 0.5f * (1f + GeluKernels.erf(x[i] * (float) (1.0 / Math.sqrt(2.0))));
                assertEquals(cdf * dy[i], g, "x " + x[i] + ": beyond |x| = 10 the gradient is the CDF alone");
            }
        }
    }

    @Test
    void embeddingGathersRowsAndScatterAddsRepeatedTokens() {
        float[] wte = {0f, 1f, 10f, 11f, 20f, 21f};
        int[] tokens = {2, 0, 2};
        FloatTensor out = BACKEND.allocate(6);
        BACKEND.embeddingForward(out, uploadInts(tokens), upload(wte), 3, 2);
        assertArrayEquals(new float[] {20f, 21f, 0f, 1f, 20f, 21f}, download(out, 6));
        FloatTensor dwte = upload(new float[] {1f, 1f, 1f, 1f, 1f, 1f});
        BACKEND.embeddingBackward(dwte, upload(new float[] {1f, 2f, 3f, 4f, 5f, 6f}), uploadInts(tokens), 3, 2);
        assertArrayEquals(new float[] {4f, 5f, 1f, 1f, 7f, 9f}, download(dwte, 6));
    }

    @Test
    void embeddingRejectsTokenOutsideVocabulary() {
        KernelException e = assertThrows(KernelException.class, () ->
                BACKEND.embeddingForward(BACKEND.allocate(4), uploadInts(new int[] {0, 3}), upload(new float[6]), 2, 2));
        assertTrue(e.getMessage().contains("token id 3"), e.getMessage());
    }

    @Test
    void crossEntropyForwardOfAHandComputedRow() {
        float[] logits = {1f, 2f, 3f};
        FloatTensor ce = BACKEND.allocate(1);
        FloatTensor lse = BACKEND.allocate(1);
        BACKEND.crossEntropyForward(ce, lse, upload(logits), uploadInts(new int[] {0}), 1, 3);
        double want = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertEquals(want, download(lse, 1)[0], 1e-6);
        assertEquals(want - 1, download(ce, 1)[0], 1e-6);
    }

    @Test
    void crossEntropyBackwardWithZLossMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(8);
        int n = 3;
        int v = 41;
        float z = 0.3f;
        float[] logits = Checks.random(rng, n * v, 3);
        int[] targets = {5, 0, 40};
        FloatTensor ce = BACKEND.allocate(n);
        FloatTensor lse = BACKEND.allocate(n);
        FloatTensor dlogits = BACKEND.allocate(n * v);
        IntTensor tgt = uploadInts(targets);
        FloatTensor lg = upload(logits);
        BACKEND.crossEntropyForward(ce, lse, lg, tgt, n, v);
        BACKEND.crossEntropyBackward(dlogits, lg, lse, tgt, 1f / n, z, n, v);
        java.util.function.DoubleSupplier loss = () -> {
            BACKEND.crossEntropyForward(ce, lse, upload(logits), tgt, n, v);
            float[] c = download(ce, n);
            float[] l = download(lse, n);
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += (c[i] + z * (double) l[i] * l[i]) / n;
            }
            return total;
        };
        assertTrue(Checks.gradientError("cross-entropy dlogits", logits, download(dlogits, n * v), loss, 1e-2f)
                < TOLERANCE);
    }

    @Test
    void crossEntropyBackwardMayOverwriteTheLogits() {
        float[] logits = {0.5f, -1f, 2f, 0f};
        FloatTensor lg = upload(logits);
        FloatTensor separate = BACKEND.allocate(4);
        FloatTensor lse = BACKEND.allocate(1);
        IntTensor tgt = uploadInts(new int[] {2});
        BACKEND.crossEntropyForward(BACKEND.allocate(1), lse, lg, tgt, 1, 4);
        BACKEND.crossEntropyBackward(separate, lg, lse, tgt, 1f, 1e-4f, 1, 4);
        BACKEND.crossEntropyBackward(lg, lg, lse, tgt, 1f, 1e-4f, 1, 4);
        assertArrayEquals(download(separate, 4), download(lg, 4), 0f);
    }

    @Test
    void residualFillAndSumOfSquares() {
        int n = 70001;
        float[] a = new float[n];
        float[] b = new float[n];
        double want = 0;
        for (int i = 0; i < n; i++) {
            a[i] = i % 7;
            b[i] = -0.5f;
            want += (a[i] - 0.5) * (a[i] - 0.5);
        }
        FloatTensor out = BACKEND.allocate(n);
        BACKEND.residualForward(out, upload(a), upload(b), n);
        FloatTensor sum = BACKEND.allocate(1);
        BACKEND.sumOfSquares(sum, out, n);
        assertEquals(want, download(sum, 1)[0], want * 1e-6);
        BACKEND.fill(out, 2f, n);
        BACKEND.sumOfSquares(sum, out, n);
        assertEquals(4.0 * n, download(sum, 1)[0], 1e-6 * n);
    }

    @Test
    void rejectsATensorTooSmallForItsDimensions() {
        KernelException e = assertThrows(KernelException.class, () ->
                BACKEND.matmulForward(BACKEND.allocate(5), BACKEND.allocate(6), BACKEND.allocate(6), 2, 3, 3));
        assertTrue(e.getMessage().contains("out holds 5 floats"), e.getMessage());
    }
}
