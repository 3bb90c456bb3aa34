package org.optbench.kernels.cpu;

import java.util.List;
import jdk.incubator.vector.FloatVector;
import org.optbench.kernels.Backend;
import org.optbench.kernels.ElementwiseKernel;
import org.optbench.kernels.FloatTensor;
import org.optbench.kernels.IntTensor;
import org.optbench.kernels.KernelException;
import org.optbench.kernels.TensorChecks;

/**
 * The embedded default backend: Java arrays in host memory, kernels written with the Vector API
 * and run on a fixed {@link WorkerPool}. Every operation finishes before it returns, so
 * {@link #synchronize()} has nothing to wait for. Checks that each tensor holds the elements its
 * dimensions imply, so a shape mistake fails with a message instead of corrupting memory.
 */
public final class CpuBackend implements Backend {

    private final WorkerPool pool;
    private final CpuGemm sgemm;
    private final LayerNormKernels layerNorm;
    private final RopeKernels rope;
    private final AttentionKernels attention;
    private final GeluKernels gelu;
    private final EmbeddingKernels embedding;
    private final CrossEntropyKernels crossEntropy;
    private final VectorKernels vector;
    private final OptimizerKernels optimizer;

    public CpuBackend(int threads) {
        this.pool = new WorkerPool(threads);
        this.sgemm = new CpuGemm(pool);
        this.layerNorm = new LayerNormKernels(pool);
        this.rope = new RopeKernels(pool);
        this.attention = new AttentionKernels(pool, sgemm);
        this.gelu = new GeluKernels(pool);
        this.embedding = new EmbeddingKernels(pool);
        this.crossEntropy = new CrossEntropyKernels(pool);
        this.vector = new VectorKernels(pool);
        this.optimizer = new OptimizerKernels(pool);
    }

    /** A backend with one thread per available processor. */
    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return pool.threads();
    }

    @Override
    public String description() {
        return "cpu (Java Vector API, " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit, "
                + pool.threads() + " threads)";
    }

    @Override
    public CpuFloatTensor allocate(long length) {
        return new CpuFloatTensor(new float[checkedLength(length)], 0, (int) length);
    }

    @Override
    public CpuIntTensor allocateInts(long length) {
        return new CpuIntTensor(new int[checkedLength(length)], 0, (int) length);
    }

    private static int checkedLength(long length) {
        if (length < 0 || length > Integer.MAX_VALUE - 16) {
            throw new KernelException("the CPU backend holds at most " + (Integer.MAX_VALUE - 16)
                    + " elements per tensor; asked for " + length
                    + ": use a smaller batch or model, or an OpenCL device");
        }
        return (int) length;
    }

    @Override
    public void write(FloatTensor dst, float[] src, int srcOffset, int length) {
        CpuFloatTensor d = require(dst, length, "dst");
        System.arraycopy(src, srcOffset, d.array, d.offset(), length);
    }

    @Override
    public void read(float[] dst, int dstOffset, FloatTensor src, int length) {
        CpuFloatTensor s = require(src, length, "src");
        System.arraycopy(s.array, s.offset(), dst, dstOffset, length);
    }

    @Override
    public void writeInts(IntTensor dst, int[] src, int srcOffset, int length) {
        CpuIntTensor d = CpuIntTensor.of(dst);
        TensorChecks.requireInts(d.length(), length);
        System.arraycopy(src, srcOffset, d.array, d.offset(), length);
    }

    @Override
    public void synchronize() {
        // Every CPU operation completes before it returns.
    }

    @Override
    public void fill(FloatTensor out, float value, long n) {
        vector.fill(require(out, n, "out"), value, (int) n);
    }

    @Override
    public void matmulForward(FloatTensor out, FloatTensor inp, FloatTensor weight, int n, int c, int oc) {
        CpuFloatTensor o = require(out, (long) n * oc, "out");
        CpuFloatTensor x = require(inp, (long) n * c, "inp");
        CpuFloatTensor w = require(weight, (long) oc * c, "weight");
        sgemm.multiply(o.array, o.offset(), oc, x.array, x.offset(), c, false, w.array, w.offset(), c, true,
                n, oc, c, false);
    }

    @Override
    public void matmulBackward(FloatTensor dinp, FloatTensor dweight, FloatTensor dout, FloatTensor inp,
                               FloatTensor weight, int n, int c, int oc) {
        CpuFloatTensor dx = require(dinp, (long) n * c, "dinp");
        CpuFloatTensor dw = require(dweight, (long) oc * c, "dweight");
        CpuFloatTensor dy = require(dout, (long) n * oc, "dout");
        CpuFloatTensor x = require(inp, (long) n * c, "inp");
        CpuFloatTensor w = require(weight, (long) oc * c, "weight");
        sgemm.multiply(dx.array, dx.offset(), c, dy.array, dy.offset(), oc, false, w.array, w.offset(), c, false,
                n, c, oc, false);
        sgemm.multiply(dw.array, dw.offset(), c, dy.array, dy.offset(), oc, true, x.array, x.offset(), c, false,
                oc, c, n, true);
    }

    @Override
    public void layerNormForward(FloatTensor out, FloatTensor mean, FloatTensor rstd, FloatTensor inp,
                                 FloatTensor weight, int n, int c) {
        layerNorm.forward(require(out, (long) n * c, "out"), require(mean, n, "mean"), require(rstd, n, "rstd"),
                require(inp, (long) n * c, "inp"), require(weight, c, "weight"), n, c);
    }

    @Override
    public void layerNormBackward(FloatTensor dinp, FloatTensor dweight, FloatTensor dout, FloatTensor inp,
                                  FloatTensor weight, FloatTensor mean, FloatTensor rstd, int n, int c) {
        layerNorm.backward(require(dinp, (long) n * c, "dinp"), require(dweight, c, "dweight"),
                require(dout, (long) n * c, "dout"), require(inp, (long) n * c, "inp"), require(weight, c, "weight"),
                require(mean, n, "mean"), require(rstd, n, "rstd"), n, c);
    }

    @Override
    public void ropeForward(FloatTensor out, FloatTensor inp, FloatTensor cos, FloatTensor sin,
                            int b, int t, int c, int h) {
        checkHeads(c, h);
        long half = (long) t * (c / h / 2);
        rope.rotate(require(out, (long) b * t * c, "out"), require(inp, (long) b * t * c, "inp"),
                require(cos, half, "cos"), require(sin, half, "sin"), b, t, c, h, 1f);
    }

    @Override
    public void ropeBackward(FloatTensor dinp, FloatTensor dout, FloatTensor cos, FloatTensor sin,
                             int b, int t, int c, int h) {
        checkHeads(c, h);
        long half = (long) t * (c / h / 2);
        rope.rotate(require(dinp, (long) b * t * c, "dinp"), require(dout, (long) b * t * c, "dout"),
                require(cos, half, "cos"), require(sin, half, "sin"), b, t, c, h, -1f);
    }

    @Override
    public void attentionForward(FloatTensor out, FloatTensor att, FloatTensor q, FloatTensor k, FloatTensor v,
                                 int b, int t, int c, int h) {
        checkHeads(c, h);
        long btc = (long) b * t * c;
        attention.forward(require(out, btc, "out"), require(att, (long) b * h * t * t, "att"),
                require(q, btc, "q"), require(k, btc, "k"), require(v, btc, "v"), b, t, c, h);
    }

    @Override
    public void attentionBackward(FloatTensor dq, FloatTensor dk, FloatTensor dv, FloatTensor dout, FloatTensor att,
                                  FloatTensor q, FloatTensor k, FloatTensor v, int b, int t, int c, int h) {
        checkHeads(c, h);
        long btc = (long) b * t * c;
        attention.backward(require(dq, btc, "dq"), require(dk, btc, "dk"), require(dv, btc, "dv"),
                require(dout, btc, "dout"), require(att, (long) b * h * t * t, "att"),
                require(q, btc, "q"), require(k, btc, "k"), require(v, btc, "v"), b, t, c, h);
    }

    @Override
    public void geluForward(FloatTensor out, FloatTensor inp, int n) {
        gelu.forward(require(out, n, "out"), require(inp, n, "inp"), n);
    }

    @Override
    public void geluBackward(FloatTensor dinp, FloatTensor inp, FloatTensor dout, int n) {
        gelu.backward(require(dinp, n, "dinp"), require(inp, n, "inp"), require(dout, n, "dout"), n);
    }

    @Override
    public void embeddingForward(FloatTensor out, IntTensor tokens, FloatTensor wte, int n, int c) {
        embedding.forward(require(out, (long) n * c, "out"), requireInts(tokens, n), CpuFloatTensor.of(wte), n, c);
    }

    @Override
    public void embeddingBackward(FloatTensor dwte, FloatTensor dout, IntTensor tokens, int n, int c) {
        embedding.backward(CpuFloatTensor.of(dwte), require(dout, (long) n * c, "dout"), requireInts(tokens, n), n, c);
    }

    @Override
    public void residualForward(FloatTensor out, FloatTensor a, FloatTensor b, int n) {
        vector.residual(require(out, n, "out"), require(a, n, "a"), require(b, n, "b"), n);
    }

    @Override
    public void crossEntropyForward(FloatTensor ce, FloatTensor lse, FloatTensor logits, IntTensor targets,
                                    int n, int v) {
        crossEntropy.forward(require(ce, n, "ce"), require(lse, n, "lse"), require(logits, (long) n * v, "logits"),
                requireInts(targets, n), n, v);
    }

    @Override
    public void crossEntropyBackward(FloatTensor dlogits, FloatTensor logits, FloatTensor lse, IntTensor targets,
                                     float scale, float zCoef, int n, int v) {
        crossEntropy.backward(require(dlogits, (long) n * v, "dlogits"), require(logits, (long) n * v, "logits"),
                require(lse, n, "lse"), requireInts(targets, n), scale, zCoef, n, v);
    }

    @Override
    public void sumOfSquares(FloatTensor out, FloatTensor inp, long n) {
        vector.sumOfSquares(require(out, 1, "out"), require(inp, n, "inp"), (int) n);
    }

    @Override
    public void matmul(FloatTensor out, FloatTensor a, boolean transA, FloatTensor b, boolean transB,
                       int m, int n, int k, boolean accumulate) {
        CpuFloatTensor o = require(out, (long) m * n, "out");
        CpuFloatTensor x = require(a, (long) m * k, "a");
        CpuFloatTensor y = require(b, (long) k * n, "b");
        sgemm.multiply(o.array, o.offset(), n, x.array, x.offset(), transA ? m : k, transA,
                y.array, y.offset(), transB ? k : n, transB, m, n, k, accumulate);
    }

    @Override
    public void axpby(FloatTensor out, float alpha, FloatTensor x, float beta, FloatTensor y, long n) {
        vector.axpby(require(out, n, "out"), alpha, require(x, n, "x"), beta, require(y, n, "y"), (int) n);
    }

    @Override
    public void elementwiseUpdate(ElementwiseKernel kernel, FloatTensor param, FloatTensor grad, List<FloatTensor> state,
                                  long n, float[] scalars) {
        TensorChecks.checkElementwise(kernel, state.size(), scalars.length);
        CpuFloatTensor p = require(param, n, "param");
        CpuFloatTensor g = require(grad, n, "grad");
        float[][] arrays = new float[state.size()][];
        int[] offsets = new int[state.size()];
        for (int j = 0; j < arrays.length; j++) {
            CpuFloatTensor s = require(state.get(j), n, kernel.name() + " state " + j);
            arrays[j] = s.array;
            offsets[j] = s.offset();
        }
        optimizer.elementwise(kernel, new ElementwiseKernel.Slices(p.array, p.offset(), g.array, g.offset(), arrays, offsets),
                scalars, (int) n);
    }

    @Override
    public void blockAdamUpdate(FloatTensor param, FloatTensor grad, FloatTensor m, FloatTensor vBlocks, long n,
                                int blockSize, float lr, float beta1, float beta2, float eps, float decay,
                                float gradScale, float c1, float c2) {
        TensorChecks.checkBlocks(blockSize, n);
        optimizer.blockAdam(require(param, n, "param"), require(grad, n, "grad"), require(m, n, "m"),
                require(vBlocks, n / blockSize, "vBlocks"), (int) n, blockSize, lr, beta1, beta2, eps, decay,
                gradScale, c1, c2);
    }

    @Override
    public void adafactorUpdate(FloatTensor param, FloatTensor grad, FloatTensor m, FloatTensor rowV,
                                FloatTensor colV, int rows, int cols, float lr, float beta1, float beta2, float eps,
                                float decay, float gradScale, int step) {
        long n = (long) rows * cols;
        optimizer.adafactor(require(param, n, "param"), require(grad, n, "grad"), m == null ? null : require(m, n, "m"),
                require(rowV, rows, "rowV"), require(colV, cols, "colV"), rows, cols, lr, beta1, beta2, eps, decay,
                gradScale, step);
    }

    @Override
    public void nesterovMomentum(FloatTensor update, FloatTensor grad, FloatTensor buf, long n, float mu,
                                 float gradScale) {
        optimizer.nesterov(require(update, n, "update"), require(grad, n, "grad"), require(buf, n, "buf"), (int) n,
                mu, gradScale);
    }

    @Override
    public void close() {
        pool.close();
    }

    private static CpuFloatTensor require(FloatTensor tensor, long elements, String name) {
        CpuFloatTensor cpu = CpuFloatTensor.of(tensor);
        TensorChecks.requireLength(cpu.length(), elements, name);
        return cpu;
    }

    private static CpuIntTensor requireInts(IntTensor tensor, long elements) {
        CpuIntTensor cpu = CpuIntTensor.of(tensor);
        TensorChecks.requireInts(cpu.length(), elements);
        return cpu;
    }

    private static void checkHeads(int c, int h) {
        TensorChecks.checkHeads(c, h);
    }
}
