package org.optbench.kernels.opencl;

/**
 * Single-precision matrix multiply C (+)= op(A) op(B) on device buffers, the OpenCL twin of
 * {@code cpu/CpuGemm} with the same argument order ({@link #multiply}). Two kernels: on GPUs a
 * local-memory tile ({@code matmul.cl}, TILE x TILE outputs per work-group, a 4 x 4 register
 * block per work item); on CPU devices a cache-blocked kernel ({@code matmul_vector.cl}, 8 rows x
 * 32 columns of {@code float16} accumulators per work item, K in passes of {@link #VECTOR_DEPTH}).
 * A {@link Batch} runs many products in one launch (attention over batch and head).
 */
final class ClGemm {

    /** Which sgemm kernel runs the products: local-memory tiles for GPUs, cache-blocked vectors for CPUs. */
    enum Kernel { TILED, VECTOR }

    /** K step of the tiled kernel's local-memory panels (its -DDEPTH). */
    static final int TILE_DEPTH = 16;
    private static final int TILE_LARGE = 64;
    private static final int TILE_SMALL = 32;
    /** Outputs per work item along each tile edge of the tiled kernel. */
    private static final int TILE_PER_ITEM = 4;
    private static final int VECTOR_ROWS = 8;       // VROWS of matmul_vector.cl
    private static final int VECTOR_COLUMNS = 32;   // two float16 accumulators per row
    private static final int VECTOR_GROUP = 4;
    private static final int VECTOR_DEPTH = 256;    // K per launch, so a work item's panel of b stays in cache
    private static final int TRANSPOSE_GROUP = 16;

    private final ClProgram program;
    private final org.jocl.cl_command_queue queue;
    private final DeviceBuffers buffers;
    private final Kernel kernel;
    private final int tile;

    ClGemm(ClProgram program, org.jocl.cl_command_queue queue, DeviceBuffers buffers, Kernel kernel, int tile) {
        this.program = program;
        this.queue = queue;
        this.buffers = buffers;
        this.kernel = kernel;
        this.tile = tile;
    }

    /** The tile edge of the tiled kernel on {@code device}: 64 where the work-group and local memory allow it, else 32. */
    static int tileFor(OpenClDevice device) {
        long localBytes = 2L * TILE_DEPTH * (TILE_LARGE + 1) * Float.BYTES;
        int items = (TILE_LARGE / TILE_PER_ITEM) * (TILE_LARGE / TILE_PER_ITEM);
        return device.maxWorkGroupSize() >= items && device.localMemoryBytes() >= localBytes ? TILE_LARGE : TILE_SMALL;
    }

    /** The build options the tiled kernel needs for {@code tile}. */
    static String buildOptions(int tile) {
        return " -DTILE=" + tile + " -DTHREADS=" + tile / TILE_PER_ITEM + " -DDEPTH=" + TILE_DEPTH;
    }

    /**
     * Operand offsets of a batch of products: product z reads at (z / inner) * outer + (z % inner)
     * * stride, separately for a, b and c.
     */
    record Batch(int count, int inner, int aOuter, int aInner, int bOuter, int bInner, int cOuter, int cInner) {
        static final Batch ONE = new Batch(1, 1, 0, 0, 0, 0, 0, 0);

        /** The same batch with b's products packed one after another, {@code size} floats each. */
        Batch packedB(int size) {
            return new Batch(count, inner, aOuter, aInner, Math.multiplyExact(inner, size), size, cOuter, cInner);
        }
    }

    /**
     * c[m x n] (+)= op(a)[m x k] * op(b)[k x n] for each product of {@code batch}, with the
     * layouts of {@code CpuGemm.multiply}: op(a)[i][p] is a[i*lda + p], or a[p*lda + i] when
     * transA; op(b)[p][j] is b[p*ldb + j], or b[j*ldb + p] when transB.
     */
    void multiply(ClFloatTensor c, int ldc, ClFloatTensor a, int lda, boolean transA, ClFloatTensor b, int ldb,
                  boolean transB, int m, int n, int k, boolean accumulate, Batch batch) {
        if (m == 0 || n == 0) {
            return;
        }
        if (kernel == Kernel.VECTOR) {
            multiplyVector(c, ldc, a, lda, transA, b, ldb, transB, m, n, k, accumulate, batch);
            return;
        }
        int threads = tile / TILE_PER_ITEM;
        call("matmul").tensor(c).integer(ldc).tensor(a).integer(lda).flag(transA).tensor(b).integer(ldb).flag(transB)
                .integer(m).integer(n).integer(k).flag(accumulate).integer(batch.inner())
                .integer(batch.aOuter()).integer(batch.aInner()).integer(batch.bOuter()).integer(batch.bInner())
                .integer(batch.cOuter()).integer(batch.cInner())
                .grid(new long[] {(long) ((n + tile - 1) / tile) * threads, (long) ((m + tile - 1) / tile) * threads,
                        batch.count()}, new long[] {threads, threads, 1});
    }

    /**
     * The CPU-device sgemm: b^T is packed into a scratch (K,N) first, since the kernel streams b's
     * rows, and K runs in launches of VECTOR_DEPTH that accumulate.
     */
    private void multiplyVector(ClFloatTensor c, int ldc, ClFloatTensor a, int lda, boolean transA, ClFloatTensor b,
                                int ldb, boolean transB, int m, int n, int k, boolean accumulate, Batch batch) {
        ClFloatTensor rowsOfB = b;
        int ldRows = ldb;
        Batch layout = batch;
        if (transB) {
            int size = Math.multiplyExact(k, n);
            long total = (long) batch.count() * size;
            rowsOfB = new ClFloatTensor(buffers.scratch("transposed", Float.BYTES * total), 0, Math.toIntExact(total));
            call("transposeBatch").buffer(rowsOfB.buffer).tensor(b).integer(ldb).integer(k).integer(n)
                    .integer(batch.inner()).integer(batch.bOuter()).integer(batch.bInner())
                    .grid(new long[] {roundUp(k, TRANSPOSE_GROUP), n, batch.count()}, new long[] {TRANSPOSE_GROUP, 1, 1});
            ldRows = n;
            layout = batch.packedB(size);
        }
        int columnBlocks = (n + VECTOR_COLUMNS - 1) / VECTOR_COLUMNS;
        int rowBlocks = (m + VECTOR_ROWS - 1) / VECTOR_ROWS;
        for (int k0 = 0; k0 < Math.max(k, 1); k0 += VECTOR_DEPTH) {
            int depth = Math.min(VECTOR_DEPTH, k - k0);
            ClFloatTensor aPart = a.slice((long) k0 * (transA ? lda : 1), a.length() - (long) k0 * (transA ? lda : 1));
            ClFloatTensor bPart = rowsOfB.slice((long) k0 * ldRows, rowsOfB.length() - (long) k0 * ldRows);
            call("matmulVector").tensor(c).integer(ldc).tensor(aPart).integer(lda).flag(transA).tensor(bPart)
                    .integer(ldRows).integer(m).integer(n).integer(Math.max(depth, 0)).flag(accumulate || k0 > 0)
                    .integer(layout.inner()).integer(layout.aOuter()).integer(layout.aInner()).integer(layout.bOuter())
                    .integer(layout.bInner()).integer(layout.cOuter()).integer(layout.cInner())
                    .grid(new long[] {roundUp(columnBlocks, VECTOR_GROUP), rowBlocks, layout.count()},
                            new long[] {VECTOR_GROUP, 1, 1});
        }
    }

    private KernelCall call(String name) {
        return new KernelCall(queue, program.kernel(name));
    }

    private static long roundUp(long x, long multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
