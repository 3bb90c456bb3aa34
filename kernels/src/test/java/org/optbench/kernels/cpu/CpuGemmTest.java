package org.optbench.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class CpuGemmTest {

    private static final WorkerPool POOL = new WorkerPool(2);

    @AfterAll
    static void close() {
        POOL.close();
    }

    private static double[] naive(float[] a, int lda, boolean ta, float[] b, int ldb, boolean tb,
                                  float[] c0, int m, int n, int k, boolean accumulate) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = accumulate ? c0[i * n + j] : 0;
                for (int p = 0; p < k; p++) {
                    float av = ta ? a[p * lda + i] : a[i * lda + p];
                    float bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                    s += (double) av * bv;
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    @Test
    void matchesNaiveProductOnOddSizesAndEveryTransposeVariant() {
        SplittableRandom rng = new SplittableRandom(7);
        CpuGemm sgemm = new CpuGemm(POOL);
        int[] sizes = {1, 7, 33, 130};
        int cases = 0;
        for (int m : sizes) {
            for (int n : sizes) {
                for (int k : new int[] {1, 33, 300}) {
                    for (int variant = 0; variant < 8; variant++) {
                        boolean ta = (variant & 1) != 0;
                        boolean tb = (variant & 2) != 0;
                        boolean acc = (variant & 4) != 0;
                        float[] a = Checks.random(rng, m * k, 1);
                        float[] b = Checks.random(rng, k * n, 1);
                        float[] c = Checks.random(rng, m * n, 1);
                        double[] want = naive(a, ta ? m : k, ta, b, tb ? k : n, tb, c, m, n, k, acc);
                        sgemm.multiply(c, 0, n, a, 0, ta ? m : k, ta, b, 0, tb ? k : n, tb, m, n, k, acc);
                        double diff = Checks.maxAbsDiff(c, want);
                        assertTrue(diff < 1e-4 * Math.sqrt(k) + 1e-5,
                                "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " acc=" + acc
                                        + " max abs diff " + diff);
                        cases++;
                    }
                }
            }
        }
        System.out.println("sgemm: " + cases + " cases match the naive product");
    }

    @Test
    void readingAInPlaceGivesTheSameBitsAsPackingIt() {
        SplittableRandom rng = new SplittableRandom(13);
        CpuGemm inPlace = new CpuGemm(POOL);
        CpuGemm packed = new CpuGemm(POOL, false);
        int cases = 0;
        for (int m : new int[] {8, 61, 64, 1024}) {
            for (int n : new int[] {32, 64, 100, 512}) {
                for (int k : new int[] {32, 64, 300}) {
                    for (int variant = 0; variant < 16; variant++) {
                        boolean ta = (variant & 1) != 0;
                        boolean tb = (variant & 2) != 0;
                        boolean acc = (variant & 4) != 0;
                        boolean serial = (variant & 8) != 0;
                        float[] a = Checks.random(rng, m * k, 1);
                        float[] b = Checks.random(rng, k * n, 1);
                        float[] want = Checks.random(rng, m * n, 1);
                        float[] got = want.clone();
                        for (CpuGemm sgemm : new CpuGemm[] {packed, inPlace}) {
                            float[] c = sgemm == packed ? want : got;
                            if (serial) {
                                sgemm.multiplySerial(c, 0, n, a, 0, ta ? m : k, ta, b, 0, tb ? k : n, tb, m, n, k, acc);
                            } else {
                                sgemm.multiply(c, 0, n, a, 0, ta ? m : k, ta, b, 0, tb ? k : n, tb, m, n, k, acc);
                            }
                        }
                        assertArrayEquals(want, got, "m=" + m + " n=" + n + " k=" + k + " variant " + variant);
                        cases++;
                    }
                }
            }
        }
        System.out.println("sgemm: " + cases + " products bit-identical with A read in place and packed");
    }

    @Test
    void respectsOffsetsAndLeadingDimensions() {
        SplittableRandom rng = new SplittableRandom(11);
        CpuGemm sgemm = new CpuGemm(POOL);
        int m = 37;
        int n = 45;
        int k = 270;
        int lda = k + 5;
        int ldb = n + 3;
        int ldc = n + 9;
        float[] a = Checks.random(rng, 3 + m * lda, 1);
        float[] b = Checks.random(rng, 2 + k * ldb, 1);
        float[] c = new float[4 + m * ldc];
        float[] cBefore = c.clone();
        sgemm.multiply(c, 4, ldc, a, 3, lda, false, b, 2, ldb, false, m, n, k, false);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < ldc; j++) {
                int idx = 4 + i * ldc + j;
                if (j >= n) {
                    assertTrue(c[idx] == cBefore[idx], "wrote outside the output at row " + i + " col " + j);
                    continue;
                }
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[3 + i * lda + p] * b[2 + p * ldb + j];
                }
                assertTrue(Math.abs(s - c[idx]) < 1e-3, "row " + i + " col " + j);
            }
        }
    }
}
