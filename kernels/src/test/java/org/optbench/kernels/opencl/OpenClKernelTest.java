package org.optbench.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.optbench.kernels.Backend;
import org.optbench.kernels.BiasCorrection;
import org.optbench.kernels.FloatTensor;
import org.optbench.kernels.IntTensor;
import org.optbench.kernels.KernelException;
import org.optbench.kernels.cpu.CpuBackend;

/**
 * Every OpenCL kernel against its CPU twin on random inputs of awkward sizes (odd, prime, not a
 * multiple of any tile or vector width): both backends run the same operation on the same values
 * and the largest difference, printed for each kernel, must stay within a bound relative to the
 * largest value.
 */
class OpenClKernelTest {

    private static CpuBackend cpu;
    private static OpenClBackend cl;

    @BeforeAll
    static void open() {
        if (OpenClDevices.available()) {
            cl = OpenClTestDevice.open();
        }
        cpu = new CpuBackend(2);
    }

    /** Without a device each test is skipped (or failed, when required) with the reason, and counted. */
    @BeforeEach
    void needsOpenCl() {
        OpenClTestDevice.selector();
    }

    @AfterAll
    static void close() {
        if (cl != null) {
            cl.close();
        }
        if (cpu != null) {
            cpu.close();
        }
    }

    /** The same values on both backends. */
    private record Twin(FloatTensor cpu, FloatTensor cl, int length) {
        FloatTensor on(Backend b) {
            return b == OpenClKernelTest.cpu ? cpu : cl;
        }
    }

    private record IntTwin(IntTensor cpu, IntTensor cl) {
        IntTensor on(Backend b) {
            return b == OpenClKernelTest.cpu ? cpu : cl;
        }
    }

    private static Twin twin(float[] values) {
        FloatTensor a = cpu.allocate(values.length);
        FloatTensor b = cl.allocate(values.length);
        cpu.write(a, values, 0, values.length);
        cl.write(b, values, 0, values.length);
        return new Twin(a, b, values.length);
    }

    private static Twin random(SplittableRandom rng, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return twin(v);
    }

    private static Twin positive(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() * 0.01);
        }
        return twin(v);
    }

    private static IntTwin ints(int[] values) {
        IntTensor a = cpu.allocateInts(values.length);
        IntTensor b = cl.allocateInts(values.length);
        cpu.writeInts(a, values, 0, values.length);
        cl.writeInts(b, values, 0, values.length);
        return new IntTwin(a, b);
    }

    /** Runs {@code op} on both backends. */
    private static void both(java.util.function.Consumer<Backend> op) {
        op.accept(cpu);
        op.accept(cl);
    }

    /** Asserts max |cpu - cl| <= tolerance * max(1, max |cpu|) and prints the difference. */
    private static void assertClose(String name, Twin t, double tolerance) {
        float[] a = new float[t.length()];
        float[] b = new float[t.length()];
        cpu.read(a, 0, t.cpu(), a.length);
        cl.read(b, 0, t.cl(), b.length);
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < a.length; i++) {
            assertTrue(Float.isFinite(b[i]), name + "[" + i + "] is " + b[i] + " on OpenCL");
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            ref = Math.max(ref, Math.abs(a[i]));
        }
        System.out.printf("opencl twin %-28s n=%-8d max|diff|=%.3e max|cpu|=%.3e%n", name, a.length, diff, ref);
        assertTrue(diff <= tolerance * Math.max(1, ref),
                name + ": max |cpu - opencl| = " + diff + " exceeds " + tolerance + " x " + Math.max(1, ref));
    }

    @Test
    void recordsTheDeviceThatRuns() {
        assertTrue(cl.description().startsWith("opencl opencl:"), cl.description());
        assertTrue(cl.description().contains(cl.device().deviceName()), cl.description());
    }

    @Test
    void elementWiseKernels() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int n : new int[] {1, 3, 4, 1001, 65537}) {
            Twin x = random(rng, n, 2);
            Twin y = random(rng, n, 2);
            Twin out = random(rng, n, 1);
            both(b -> b.fill(out.on(b), 0.75f, n));
            assertClose("fill n=" + n, out, 0);
            both(b -> b.residualForward(out.on(b), x.on(b), y.on(b), n));
            assertClose("residualForward", out, 0);
            both(b -> b.axpby(x.on(b), 0.5f, x.on(b), -1.5f, y.on(b), n));
            assertClose("axpby (out aliases x)", x, 1e-6);
            both(b -> b.geluForward(out.on(b), x.on(b), n));
            assertClose("geluForward", out, 1e-6);
            both(b -> b.geluBackward(out.on(b), x.on(b), y.on(b), n));
            assertClose("geluBackward", out, 1e-6);
        }
    }

    @Test
    void slicesAtUnalignedOffsets() {
        SplittableRandom rng = new SplittableRandom(2);
        Twin x = random(rng, 1000, 1);
        Twin y = random(rng, 1000, 1);
        both(b -> b.residualForward(x.on(b).slice(3, 501), y.on(b).slice(7, 501), x.on(b).slice(3, 501), 501));
        assertClose("residualForward on slices", x, 0);
    }

    @Test
    void sumOfSquares() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n : new int[] {1, 5, 4099, 1_000_003}) {
            Twin x = random(rng, n, 1);
            Twin out = twin(new float[1]);
            both(b -> b.sumOfSquares(out.on(b), x.on(b), n));
            assertClose("sumOfSquares n=" + n, out, 1e-6);
        }
    }

    @Test
    void matmulInEveryLayout() {
        SplittableRandom rng = new SplittableRandom(4);
        int[][] shapes = {{67, 45, 33}, {1, 1, 1}, {130, 7, 129}, {5, 200, 3}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int layout = 0; layout < 8; layout++) {
                boolean transA = (layout & 1) != 0;
                boolean transB = (layout & 2) != 0;
                boolean accumulate = (layout & 4) != 0;
                Twin a = random(rng, m * k, 1);
                Twin b = random(rng, k * n, 1);
                Twin out = random(rng, m * n, 1);
                both(be -> be.matmul(out.on(be), a.on(be), transA, b.on(be), transB, m, n, k, accumulate));
                assertClose("matmul " + m + "x" + n + "x" + k + (transA ? " tA" : "") + (transB ? " tB" : "")
                        + (accumulate ? " +=" : ""), out, 1e-5);
            }
        }
    }

    @Test
    void bothSgemmKernelsMatchTheCpu() {
        SplittableRandom rng = new SplittableRandom(14);
        for (ClGemm.Kernel kind : ClGemm.Kernel.values()) {
            try (OpenClBackend other = new OpenClBackend(cl.device(), kind)) {
                int m = 45;
                int n = 37;
                int k = 600;   // more than one K pass of the vector kernel
                for (int layout = 0; layout < 4; layout++) {
                    boolean transA = (layout & 1) != 0;
                    boolean transB = (layout & 2) != 0;
                    float[] a = new float[m * k];
                    float[] b = new float[k * n];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (float) (rng.nextDouble() - 0.5);
                    }
                    for (int i = 0; i < b.length; i++) {
                        b[i] = (float) (rng.nextDouble() - 0.5);
                    }
                    FloatTensor ca = cpu.allocate(a.length);
                    FloatTensor cb = cpu.allocate(b.length);
                    FloatTensor cc = cpu.allocate(m * n);
                    cpu.write(ca, a, 0, a.length);
                    cpu.write(cb, b, 0, b.length);
                    FloatTensor oa = other.allocate(a.length);
                    FloatTensor ob = other.allocate(b.length);
                    FloatTensor oc = other.allocate(m * n);
                    other.write(oa, a, 0, a.length);
                    other.write(ob, b, 0, b.length);
                    cpu.matmul(cc, ca, transA, cb, transB, m, n, k, false);
                    other.matmul(oc, oa, transA, ob, transB, m, n, k, false);
                    float[] want = new float[m * n];
                    float[] got = new float[m * n];
                    cpu.read(want, 0, cc, want.length);
                    other.read(got, 0, oc, got.length);
                    double diff = 0;
                    for (int i = 0; i < want.length; i++) {
                        diff = Math.max(diff, Math.abs(want[i] - got[i]));
                    }
                    System.out.printf("opencl twin matmul kernel %-6s tA=%b tB=%b max|diff|=%.3e%n", kind, transA,
                            transB, diff);
                    assertTrue(diff < 1e-4, kind + " transA=" + transA + " transB=" + transB + ": " + diff);
                }
            }
        }
    }

    @Test
    void matmulForwardAndBackward() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 37;
        int c = 19;
        int oc = 70;
        Twin x = random(rng, n * c, 1);
        Twin w = random(rng, oc * c, 1);
        Twin y = random(rng, n * oc, 1);
        Twin dx = random(rng, n * c, 1);
        Twin dw = random(rng, oc * c, 1);
        both(b -> b.matmulForward(y.on(b), x.on(b), w.on(b), n, c, oc));
        assertClose("matmulForward", y, 1e-5);
        both(b -> b.matmulBackward(dx.on(b), dw.on(b), y.on(b), x.on(b), w.on(b), n, c, oc));
        assertClose("matmulBackward dinp", dx, 1e-5);
        assertClose("matmulBackward dweight (+=)", dw, 1e-5);
    }

    @Test
    void layerNorm() {
        SplittableRandom rng = new SplittableRandom(6);
        int n = 13;
        int c = 77;
        Twin x = random(rng, n * c, 3);
        Twin w = random(rng, c, 1);
        Twin out = random(rng, n * c, 1);
        Twin mean = random(rng, n, 1);
        Twin rstd = random(rng, n, 1);
        both(b -> b.layerNormForward(out.on(b), mean.on(b), rstd.on(b), x.on(b), w.on(b), n, c));
        assertClose("layerNormForward out", out, 1e-5);
        assertClose("layerNormForward mean", mean, 1e-6);
        assertClose("layerNormForward rstd", rstd, 1e-5);
        Twin dy = random(rng, n * c, 1);
        Twin dx = random(rng, n * c, 1);
        Twin dw = random(rng, c, 1);
        both(b -> b.layerNormBackward(dx.on(b), dw.on(b), dy.on(b), x.on(b), w.on(b), mean.on(b), rstd.on(b), n, c));
        assertClose("layerNormBackward dinp (+=)", dx, 1e-5);
        assertClose("layerNormBackward dweight (+=)", dw, 1e-5);
    }

    @Test
    void ropeInPlace() {
        SplittableRandom rng = new SplittableRandom(7);
        int b = 2;
        int t = 7;
        int c = 12;
        int h = 2;
        Twin x = random(rng, b * t * c, 1);
        Twin cos = random(rng, t * 3, 1);
        Twin sin = random(rng, t * 3, 1);
        both(be -> be.ropeForward(x.on(be), x.on(be), cos.on(be), sin.on(be), b, t, c, h));
        assertClose("ropeForward (in place)", x, 1e-6);
        both(be -> be.ropeBackward(x.on(be), x.on(be), cos.on(be), sin.on(be), b, t, c, h));
        assertClose("ropeBackward (in place)", x, 1e-6);
    }

    @Test
    void attention() {
        SplittableRandom rng = new SplittableRandom(8);
        for (int[] s : new int[][] {{2, 19, 24, 3}, {1, 70, 16, 2}}) {
            int b = s[0];
            int t = s[1];
            int c = s[2];
            int h = s[3];
            int btc = b * t * c;
            Twin q = random(rng, btc, 1);
            Twin k = random(rng, btc, 1);
            Twin v = random(rng, btc, 1);
            Twin out = random(rng, btc, 1);
            Twin att = random(rng, b * h * t * t, 1);
            both(be -> be.attentionForward(out.on(be), att.on(be), q.on(be), k.on(be), v.on(be), b, t, c, h));
            assertClose("attentionForward att T=" + t, att, 1e-5);
            assertClose("attentionForward out", out, 1e-5);
            Twin dy = random(rng, btc, 1);
            Twin dq = random(rng, btc, 1);
            Twin dk = random(rng, btc, 1);
            Twin dv = random(rng, btc, 1);
            both(be -> be.attentionBackward(dq.on(be), dk.on(be), dv.on(be), dy.on(be), att.on(be), q.on(be),
                    k.on(be), v.on(be), b, t, c, h));
            assertClose("attentionBackward dq", dq, 1e-5);
            assertClose("attentionBackward dk", dk, 1e-5);
            assertClose("attentionBackward dv", dv, 1e-5);
        }
    }

    @Test
    void embeddingWithRepeatedTokens() {
        SplittableRandom rng = new SplittableRandom(9);
        int n = 29;
        int c = 67;
        int vocab = 11;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rng.nextInt(vocab);
        }
        IntTwin tokens = ints(ids);
        Twin wte = random(rng, vocab * c, 1);
        Twin out = random(rng, n * c, 1);
        both(b -> b.embeddingForward(out.on(b), tokens.on(b), wte.on(b), n, c));
        assertClose("embeddingForward", out, 0);
        Twin dwte = random(rng, vocab * c, 1);
        both(b -> b.embeddingBackward(dwte.on(b), out.on(b), tokens.on(b), n, c));
        assertClose("embeddingBackward (+=)", dwte, 1e-6);
    }

    @Test
    void crossEntropyWithZLoss() {
        SplittableRandom rng = new SplittableRandom(10);
        int n = 9;
        int v = 131;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rng.nextInt(v);
        }
        IntTwin targets = ints(ids);
        Twin logits = random(rng, n * v, 8);
        Twin ce = twin(new float[n]);
        Twin lse = twin(new float[n]);
        both(b -> b.crossEntropyForward(ce.on(b), lse.on(b), logits.on(b), targets.on(b), n, v));
        assertClose("crossEntropyForward ce", ce, 1e-5);
        assertClose("crossEntropyForward lse", lse, 1e-5);
        both(b -> b.crossEntropyBackward(logits.on(b), logits.on(b), lse.on(b), targets.on(b), 1f / n, 1e-4f, n, v));
        assertClose("crossEntropyBackward (in place)", logits, 1e-6);
    }

    @Test
    void outOfVocabularyIdsFailAsOnTheCpu() {
        IntTensor tokens = cl.allocateInts(3);
        cl.writeInts(tokens, new int[] {0, 5, 2}, 0, 3);
        FloatTensor wte = cl.allocate(4 * 2);
        KernelException e = assertThrows(KernelException.class,
                () -> cl.embeddingForward(cl.allocate(6), tokens, wte, 3, 2));
        assertTrue(e.getMessage().contains("token id 5 at position 1 is outside the vocabulary [0, 4)"), e.getMessage());
        e = assertThrows(KernelException.class,
                () -> cl.crossEntropyForward(cl.allocate(3), cl.allocate(3), cl.allocate(12), tokens, 3, 4));
        assertTrue(e.getMessage().contains("target id 5 at position 1"), e.getMessage());
    }

    @Test
    void nesterovMomentumForMuon() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 1037;
        Twin g = random(rng, n, 1);
        Twin s1 = random(rng, n, 0.1);
        Twin update = random(rng, n, 1);
        for (int step = 1; step <= 3; step++) {
            both(b -> b.nesterovMomentum(update.on(b), g.on(b), s1.on(b), n, 0.95f, 0.7f));
            assertClose("nesterovMomentum update", update, 1e-6);
            assertClose("nesterovMomentum buf", s1, 1e-6);
        }
    }

    @Test
    void blockAdamSmallAndLargeBlocks() {
        SplittableRandom rng = new SplittableRandom(12);
        for (int[] s : new int[][] {{37 * 11, 37}, {80_000, 40_000}, {70_001, 70_001}}) {
            int n = s[0];
            int block = s[1];
            Twin p = random(rng, n, 1);
            Twin g = random(rng, n, 1);
            Twin m = random(rng, n, 0.1);
            Twin v = positive(rng, n / block);
            for (int step = 1; step <= 2; step++) {
                int st = step;
                both(b -> b.blockAdamUpdate(p.on(b), g.on(b), m.on(b), v.on(b), n, block, 1e-2f, 0.9f, 0.95f, 1e-8f,
                        0.999f, 0.7f, BiasCorrection.factor(0.9f, st), BiasCorrection.factor(0.95f, st)));
                assertClose("blockAdamUpdate block=" + block + " param", p, 1e-5);
                assertClose("blockAdamUpdate vBlocks", v, 1e-6);
            }
            both(b -> b.blockAdamUpdate(p.on(b), g.on(b), m.on(b), v.on(b), n, block, 1e-2f, 0.9f, 0.95f, 1e-8f,
                    0.999f, 0.7f, 1f, 1f));
            assertClose("blockAdamUpdate without bias correction block=" + block, p, 1e-5);
            both(b -> b.blockAdamUpdate(p.on(b), g.on(b), m.on(b), v.on(b), n, block, 1e-2f, 0.9f, 1f, 1e-8f,
                    0.999f, 0.7f, BiasCorrection.factor(0.9f, 4), BiasCorrection.factor(0.95f, 2)));
            assertClose("blockAdamUpdate with a frozen second moment block=" + block, p, 1e-5);
            assertClose("blockAdamUpdate frozen vBlocks", v, 1e-6);
        }
    }

    @Test
    void adafactorWithAndWithoutMomentum() {
        SplittableRandom rng = new SplittableRandom(13);
        int rows = 23;
        int cols = 41;
        int n = rows * cols;
        for (boolean momentum : new boolean[] {true, false}) {
            Twin p = random(rng, n, 1);
            Twin g = random(rng, n, 1);
            Twin m = random(rng, n, 0.1);
            Twin r = positive(rng, rows);
            Twin c = positive(rng, cols);
            for (int step = 1; step <= 2; step++) {
                int st = step;
                both(b -> b.adafactorUpdate(p.on(b), g.on(b), momentum ? m.on(b) : null, r.on(b), c.on(b), rows, cols,
                        1e-2f, momentum ? 0.9f : 0f, 0.95f, 1e-30f, 0.999f, 0.7f, st));
                assertClose("adafactorUpdate" + (momentum ? "" : " (no m)") + " param", p, 1e-5);
                assertClose("adafactorUpdate rowV", r, 1e-6);
                assertClose("adafactorUpdate colV", c, 1e-6);
            }
        }
    }

    @Test
    void aProgramThatFailsToBuildReportsTheCompilerLog() {
        OpenClDevice d = cl.device();
        org.jocl.cl_context_properties props = new org.jocl.cl_context_properties();
        props.addProperty(org.jocl.CL.CL_CONTEXT_PLATFORM, d.platform());
        org.jocl.cl_context context = org.jocl.CL.clCreateContext(props, 1, new org.jocl.cl_device_id[] {d.device()},
                null, null, null);
        try {
            KernelException e = assertThrows(KernelException.class,
                    () -> new ClProgram(context, d.device(), d.describe(), "-DGROUP=16"));
            assertTrue(e.getMessage().contains("failed to build for " + d.describe()), e.getMessage());
            assertTrue(e.getMessage().contains("compiler log:") && e.getMessage().contains("TILE"), e.getMessage());
        } finally {
            org.jocl.CL.clReleaseContext(context);
        }
    }

    @Test
    void shapeMistakesFailBeforeLaunching() {
        KernelException e = assertThrows(KernelException.class,
                () -> cl.matmulForward(cl.allocate(5), cl.allocate(6), cl.allocate(6), 2, 3, 3));
        assertEquals("out holds 5 floats but the dimensions need 6", e.getMessage());
        e = assertThrows(KernelException.class, () -> cl.fill(cpu.allocate(4), 0f, 4));
        assertTrue(e.getMessage().contains("tensor of another backend"), e.getMessage());
    }
}
