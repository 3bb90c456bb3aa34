package org.optbench.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix multiply C (+)= op(A) op(B) on row-major arrays (the OpenCL twin is
 * {@code opencl/ClGemm}, same argument order), in the Goto/BLIS
 * structure: B is packed into panels of NR columns (KC deep, shared by all threads), each task
 * packs a block of A into panels of MR rows, and a register-blocked MR x NR micro-kernel (8 rows
 * x two vectors, sixteen accumulators) runs over the packed panels. Tasks are (A block, column
 * group) pairs so that tall, wide and small products all spread across the worker threads; where
 * several column groups share an A block, A is packed once beside B instead of once per task;
 * products at most {@link #IN_PLACE_MAX_N} wide read A's full panels in place, unpacked.
 */
final class CpuGemm {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 8;
    static final int NR = 2 * L;
    static final int KC = 256;
    static final int MC = 128;
    static final int NC = 4096;
    /**
     * Products at most this wide read full A panels in place instead of packing them: packing A
     * costs a copy of A per product, which only many column panels repay.
     */
    static final int IN_PLACE_MAX_N = 256;

    private final WorkerPool pool;
    private final boolean readsAInPlace;
    private float[] packedB = new float[KC * NC];
    private float[] packedAll = new float[0];
    private final ThreadLocal<float[]> packedA = ThreadLocal.withInitial(() -> new float[MC * KC]);
    private final ThreadLocal<float[]> tiles = ThreadLocal.withInitial(() -> new float[MR * NR]);
    private final ThreadLocal<float[]> serialPackedB = ThreadLocal.withInitial(() -> new float[KC * NC]);

    CpuGemm(WorkerPool pool) {
        this(pool, true);
    }

    /** With {@code readsAInPlace} false every product packs A, as a check of the in-place path. */
    CpuGemm(WorkerPool pool, boolean readsAInPlace) {
        this.pool = pool;
        this.readsAInPlace = readsAInPlace;
    }

    private boolean inPlace(boolean transA, int n) {
        return readsAInPlace && !transA && n <= IN_PLACE_MAX_N;
    }

    /**
     * c[m x n] (+)= op(a)[m x k] * op(b)[k x n] on the worker pool. op(a)[i][p] is
     * a[aOff + i*lda + p], or a[aOff + p*lda + i] when transA; op(b)[p][j] is b[bOff + p*ldb + j],
     * or b[bOff + j*ldb + p] when transB. With accumulate the product is added to c, otherwise it
     * replaces c.
     */
    void multiply(float[] c, int cOff, int ldc,
                  float[] a, int aOff, int lda, boolean transA,
                  float[] b, int bOff, int ldb, boolean transB,
                  int m, int n, int k, boolean accumulate) {
        if (degenerate(c, cOff, ldc, m, n, k, accumulate)) {
            return;
        }
        float[] bPack = packedB;
        int mBlocks = (m + MC - 1) / MC;
        final boolean inPlace = inPlace(transA, n);
        for (int jc = 0; jc < n; jc += NC) {
            final int colPanels = (Math.min(NC, n - jc) + NR - 1) / NR;
            int wantTasks = 4 * pool.threads();
            final int groups = Math.min(colPanels, Math.max(1, (wantTasks + mBlocks - 1) / mBlocks));
            final int panelsPerGroup = (colPanels + groups - 1) / groups;
            final int j0 = jc;
            for (int pc = 0; pc < k; pc += KC) {
                final int kc = Math.min(KC, k - pc);
                final int p0 = pc;
                final boolean add = accumulate || pc > 0;
                if (groups > 1) {
                    // several tasks share each A block: pack all of A once, beside B, not once per task
                    final int rowPanels = (m + MR - 1) / MR;
                    final float[] aAll = sharedPackedA(rowPanels);
                    pool.forRange(colPanels + rowPanels, 4, (from, to) -> {
                        for (int q = from; q < to; q++) {
                            if (q < colPanels) {
                                packBPanels(bPack, q, q + 1, b, bOff, ldb, transB, p0, kc, j0, n);
                            } else {
                                int r = q - colPanels;
                                int mr = Math.min(MR, m - r * MR);
                                if (!inPlace || mr < MR) {
                                    packA(aAll, r, a, aOff, lda, transA, r * MR, mr, p0, kc);
                                }
                            }
                        }
                    });
                    pool.forRange(mBlocks * groups, 1, (from, to) -> {
                        float[] tile = tiles.get();
                        for (int task = from; task < to; task++) {
                            int qFirst = (task % groups) * panelsPerGroup;
                            int ic = (task / groups) * MC;
                            multiplyPacked(aAll, (ic / MR) * kc * MR, inPlace, a, aOff, lda, transA, p0, tile, bPack,
                                    m, ic, kc, qFirst, Math.min(colPanels, qFirst + panelsPerGroup), j0, n,
                                    c, cOff, ldc, add);
                        }
                    });
                    continue;
                }
                pool.forRange(colPanels, 4, (from, to) ->
                        packBPanels(bPack, from, to, b, bOff, ldb, transB, p0, kc, j0, n));
                pool.forRange(mBlocks * groups, 1, (from, to) -> {
                    float[] aPack = packedA.get();
                    float[] tile = tiles.get();
                    for (int task = from; task < to; task++) {
                        int qFirst = (task % groups) * panelsPerGroup;
                        blockProduct(aPack, tile, bPack, inPlace, a, aOff, lda, transA, m, (task / groups) * MC, p0,
                                kc, qFirst, Math.min(colPanels, qFirst + panelsPerGroup), j0, n, c, cOff, ldc, add);
                    }
                });
            }
        }
    }

    /** The buffer all of A's row panels are packed into, KC deep, grown to {@code rowPanels}. */
    private float[] sharedPackedA(int rowPanels) {
        if (packedAll.length < rowPanels * MR * KC) {
            packedAll = new float[rowPanels * MR * KC];
        }
        return packedAll;
    }

    /**
     * The same product computed entirely on the calling thread, with that thread's own packing
     * buffers: for small products inside an already-parallel loop (attention per batch and head).
     */
    void multiplySerial(float[] c, int cOff, int ldc,
                        float[] a, int aOff, int lda, boolean transA,
                        float[] b, int bOff, int ldb, boolean transB,
                        int m, int n, int k, boolean accumulate) {
        if (degenerate(c, cOff, ldc, m, n, k, accumulate)) {
            return;
        }
        float[] aPack = packedA.get();
        float[] tile = tiles.get();
        float[] bPack = serialPackedB.get();
        boolean inPlace = inPlace(transA, n);
        for (int jc = 0; jc < n; jc += NC) {
            int colPanels = (Math.min(NC, n - jc) + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packBPanels(bPack, 0, colPanels, b, bOff, ldb, transB, pc, kc, jc, n);
                for (int ic = 0; ic < m; ic += MC) {
                    blockProduct(aPack, tile, bPack, inPlace, a, aOff, lda, transA, m, ic, pc, kc, 0, colPanels,
                            jc, n, c, cOff, ldc, accumulate || pc > 0);
                }
            }
        }
    }

    /** Handles empty products; returns true when there is nothing left to compute. */
    private static boolean degenerate(float[] c, int cOff, int ldc, int m, int n, int k, boolean accumulate) {
        if (m == 0 || n == 0) {
            return true;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return true;
        }
        return false;
    }

    private static void packBPanels(float[] bPack, int from, int to, float[] b, int bOff, int ldb, boolean transB,
                                    int p0, int kc, int j0, int n) {
        for (int q = from; q < to; q++) {
            packB(bPack, q, b, bOff, ldb, transB, p0, kc, j0 + q * NR, Math.min(NR, n - j0 - q * NR));
        }
    }

    /**
     * Packs the A block of rows [ic, ic+MC) for depth [p0, p0+kc) (only its short last panel when
     * A is read in place) and multiplies it with packed B panels [qFirst, qEnd) of the column
     * block starting at j0.
     */
    private static void blockProduct(float[] aPack, float[] tile, float[] bPack, boolean inPlace,
                                     float[] a, int aOff, int lda, boolean transA, int m, int ic, int p0, int kc,
                                     int qFirst, int qEnd, int j0, int n,
                                     float[] c, int cOff, int ldc, boolean add) {
        if (qFirst >= qEnd) {
            return;
        }
        int mc = Math.min(MC, m - ic);
        int rowPanels = (mc + MR - 1) / MR;
        for (int r = 0; r < rowPanels; r++) {
            int mr = Math.min(MR, m - ic - r * MR);
            if (!inPlace || mr < MR) {
                packA(aPack, r, a, aOff, lda, transA, ic + r * MR, mr, p0, kc);
            }
        }
        multiplyPacked(aPack, 0, inPlace, a, aOff, lda, transA, p0, tile, bPack, m, ic, kc, qFirst, qEnd, j0, n,
                c, cOff, ldc, add);
    }

    /**
     * Multiplies the A block of rows [ic, ic+MC) with packed B panels [qFirst, qEnd) of the column
     * block starting at j0. Its packed row panels start at aBase in aPack; with inPlace its full
     * panels are read from op(a) at depth [p0, p0+kc) instead, and only a short last panel is
     * packed.
     */
    private static void multiplyPacked(float[] aPack, int aBase, boolean inPlace,
                                       float[] a, int aOff, int lda, boolean transA, int p0,
                                       float[] tile, float[] bPack, int m, int ic, int kc,
                                       int qFirst, int qEnd, int j0, int n,
                                       float[] c, int cOff, int ldc, boolean add) {
        int rowPanels = (Math.min(MC, m - ic) + MR - 1) / MR;
        for (int q = qFirst; q < qEnd; q++) {
            int col = j0 + q * NR;
            int nr = Math.min(NR, n - col);
            for (int r = 0; r < rowPanels; r++) {
                int row = ic + r * MR;
                int mr = Math.min(MR, m - row);
                int cAt = cOff + row * ldc + col;
                if (inPlace && mr == MR) {
                    rowsKernel(a, aOff + row * lda + p0, lda, bPack, q * kc * NR, kc, c, cAt, ldc, nr, add, tile);
                } else {
                    microKernel(aPack, aBase + r * kc * MR, bPack, q * kc * NR, kc, c, cAt, ldc, mr, nr, add, tile);
                }
            }
        }
    }

    /** Packs columns [col, col+nr) of rows [p0, p0+kc) of op(b) into panel q, zero-padded to NR. */
    private static void packB(float[] dst, int q, float[] b, int bOff, int ldb, boolean transB,
                              int p0, int kc, int col, int nr) {
        int base = q * kc * NR;
        if (!transB) {
            for (int p = 0; p < kc; p++) {
                int src = bOff + (p0 + p) * ldb + col;
                int d = base + p * NR;
                if (nr == NR) {
                    FloatVector.fromArray(S, b, src).intoArray(dst, d);
                    FloatVector.fromArray(S, b, src + L).intoArray(dst, d + L);
                } else {
                    for (int j = 0; j < nr; j++) {
                        dst[d + j] = b[src + j];
                    }
                    for (int j = nr; j < NR; j++) {
                        dst[d + j] = 0f;
                    }
                }
            }
        } else {
            for (int j = 0; j < nr; j++) {
                int src = bOff + (col + j) * ldb + p0;
                for (int p = 0; p < kc; p++) {
                    dst[base + p * NR + j] = b[src + p];
                }
            }
            for (int j = nr; j < NR; j++) {
                for (int p = 0; p < kc; p++) {
                    dst[base + p * NR + j] = 0f;
                }
            }
        }
    }

    /** Packs rows [row, row+mr) of columns [p0, p0+kc) of op(a) into panel r, zero-padded to MR. */
    private static void packA(float[] dst, int r, float[] a, int aOff, int lda, boolean transA,
                              int row, int mr, int p0, int kc) {
        int base = r * kc * MR;
        if (!transA && mr == MR) {
            int s0 = aOff + row * lda + p0;
            for (int p = 0; p < kc; p++) {
                int d = base + p * MR;
                int src = s0 + p;
                dst[d] = a[src];
                dst[d + 1] = a[src + lda];
                dst[d + 2] = a[src + 2 * lda];
                dst[d + 3] = a[src + 3 * lda];
                dst[d + 4] = a[src + 4 * lda];
                dst[d + 5] = a[src + 5 * lda];
                dst[d + 6] = a[src + 6 * lda];
                dst[d + 7] = a[src + 7 * lda];
            }
        } else if (!transA) {
            for (int i = 0; i < mr; i++) {
                int src = aOff + (row + i) * lda + p0;
                for (int p = 0; p < kc; p++) {
                    dst[base + p * MR + i] = a[src + p];
                }
            }
            for (int i = mr; i < MR; i++) {
                for (int p = 0; p < kc; p++) {
                    dst[base + p * MR + i] = 0f;
                }
            }
        } else {
            if (mr == MR) {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + row;
                    int d = base + p * MR;
                    dst[d] = a[src];
                    dst[d + 1] = a[src + 1];
                    dst[d + 2] = a[src + 2];
                    dst[d + 3] = a[src + 3];
                    dst[d + 4] = a[src + 4];
                    dst[d + 5] = a[src + 5];
                    dst[d + 6] = a[src + 6];
                    dst[d + 7] = a[src + 7];
                }
                return;
            }
            for (int p = 0; p < kc; p++) {
                int src = aOff + (p0 + p) * lda + row;
                int d = base + p * MR;
                for (int i = 0; i < mr; i++) {
                    dst[d + i] = a[src + i];
                }
                for (int i = mr; i < MR; i++) {
                    dst[d + i] = 0f;
                }
            }
        }
    }

    /** One MR x NR tile of c (+)= packed A panel x packed B panel, kc deep. */
    private static void microKernel(float[] ap, int aBase, float[] bp, int bBase, int kc,
                                    float[] c, int cOff, int ldc, int mr, int nr, boolean add,
                                    float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bBase + p * NR;
            int ai = aBase + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ai + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        if (mr == MR && nr == NR) {
            if (add) {
            FloatVector.fromArray(S, c, cOff + 0 * ldc).add(c00).intoArray(c, cOff + 0 * ldc);
            FloatVector.fromArray(S, c, cOff + 0 * ldc + L).add(c01).intoArray(c, cOff + 0 * ldc + L);
            FloatVector.fromArray(S, c, cOff + 1 * ldc).add(c10).intoArray(c, cOff + 1 * ldc);
            FloatVector.fromArray(S, c, cOff + 1 * ldc + L).add(c11).intoArray(c, cOff + 1 * ldc + L);
            FloatVector.fromArray(S, c, cOff + 2 * ldc).add(c20).intoArray(c, cOff + 2 * ldc);
            FloatVector.fromArray(S, c, cOff + 2 * ldc + L).add(c21).intoArray(c, cOff + 2 * ldc + L);
            FloatVector.fromArray(S, c, cOff + 3 * ldc).add(c30).intoArray(c, cOff + 3 * ldc);
            FloatVector.fromArray(S, c, cOff + 3 * ldc + L).add(c31).intoArray(c, cOff + 3 * ldc + L);
            FloatVector.fromArray(S, c, cOff + 4 * ldc).add(c40).intoArray(c, cOff + 4 * ldc);
            FloatVector.fromArray(S, c, cOff + 4 * ldc + L).add(c41).intoArray(c, cOff + 4 * ldc + L);
            FloatVector.fromArray(S, c, cOff + 5 * ldc).add(c50).intoArray(c, cOff + 5 * ldc);
            FloatVector.fromArray(S, c, cOff + 5 * ldc + L).add(c51).intoArray(c, cOff + 5 * ldc + L);
            FloatVector.fromArray(S, c, cOff + 6 * ldc).add(c60).intoArray(c, cOff + 6 * ldc);
            FloatVector.fromArray(S, c, cOff + 6 * ldc + L).add(c61).intoArray(c, cOff + 6 * ldc + L);
            FloatVector.fromArray(S, c, cOff + 7 * ldc).add(c70).intoArray(c, cOff + 7 * ldc);
            FloatVector.fromArray(S, c, cOff + 7 * ldc + L).add(c71).intoArray(c, cOff + 7 * ldc + L);
            } else {
            c00.intoArray(c, cOff + 0 * ldc);
            c01.intoArray(c, cOff + 0 * ldc + L);
            c10.intoArray(c, cOff + 1 * ldc);
            c11.intoArray(c, cOff + 1 * ldc + L);
            c20.intoArray(c, cOff + 2 * ldc);
            c21.intoArray(c, cOff + 2 * ldc + L);
            c30.intoArray(c, cOff + 3 * ldc);
            c31.intoArray(c, cOff + 3 * ldc + L);
            c40.intoArray(c, cOff + 4 * ldc);
            c41.intoArray(c, cOff + 4 * ldc + L);
            c50.intoArray(c, cOff + 5 * ldc);
            c51.intoArray(c, cOff + 5 * ldc + L);
            c60.intoArray(c, cOff + 6 * ldc);
            c61.intoArray(c, cOff + 6 * ldc + L);
            c70.intoArray(c, cOff + 7 * ldc);
            c71.intoArray(c, cOff + 7 * ldc + L);
            }
            return;
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + L);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        writeTile(tile, c, cOff, ldc, mr, nr, add);
    }

    /**
     * The micro-kernel's twin for A read in place: one full MR x NR tile of c (+)= rows of A (row i
     * at {@code a[aBase + i * lda + p]}, depth p contiguous) x packed B panel, kc deep. The same
     * products summed in the same order as {@link #microKernel} on the packed panel, so the bits
     * are the same; its own loop because the packed kernel's constant strides are what let the JIT
     * hoist its bounds checks.
     */
    private static void rowsKernel(float[] a, int aBase, int lda, float[] bp, int bBase, int kc,
                                   float[] c, int cOff, int ldc, int nr, boolean add, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        int r0 = aBase;
        int r1 = r0 + lda;
        int r2 = r1 + lda;
        int r3 = r2 + lda;
        int r4 = r3 + lda;
        int r5 = r4 + lda;
        int r6 = r5 + lda;
        int r7 = r6 + lda;
        for (int p = 0; p < kc; p++) {
            int bi = bBase + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[r0 + p]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[r1 + p]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[r2 + p]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[r3 + p]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[r4 + p]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[r5 + p]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, a[r6 + p]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[r7 + p]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + L);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        writeTile(tile, c, cOff, ldc, MR, nr, add);
    }

    /** c[0..mr) x [0..nr) (+)= tile (MR x NR, row major), a full tile's rows as two vectors each. */
    private static void writeTile(float[] tile, float[] c, int cOff, int ldc, int mr, int nr, boolean add) {
        for (int i = 0; i < mr; i++) {
            int row = cOff + i * ldc;
            if (nr == NR) {
                FloatVector t0 = FloatVector.fromArray(S, tile, i * NR);
                FloatVector t1 = FloatVector.fromArray(S, tile, i * NR + L);
                if (add) {
                    t0 = t0.add(FloatVector.fromArray(S, c, row));
                    t1 = t1.add(FloatVector.fromArray(S, c, row + L));
                }
                t0.intoArray(c, row);
                t1.intoArray(c, row + L);
                continue;
            }
            for (int j = 0; j < nr; j++) {
                c[row + j] = add ? c[row + j] + tile[i * NR + j] : tile[i * NR + j];
            }
        }
    }
}
