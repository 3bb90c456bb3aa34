package org.optbench.kernels.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_FALSE;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseCommandQueue;
import static org.jocl.CL.clReleaseContext;

import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_event;
import org.jocl.cl_mem;
import org.optbench.kernels.Backend;
import org.optbench.kernels.BiasCorrection;
import org.optbench.kernels.ElementwiseKernel;
import org.optbench.kernels.FloatTensor;
import org.optbench.kernels.IntTensor;
import org.optbench.kernels.KernelException;
import org.optbench.kernels.TensorChecks;

/**
 * The backend for any OpenCL 1.2 device (NVIDIA, AMD and Intel GPUs; CPUs through PoCL). Tensors
 * live in device buffers for the whole run; operations enqueue kernels on one in-order queue and
 * return at once, and only {@link #read}, {@link #write} of floats and {@link #synchronize} wait
 * (token ids are written without waiting, from staging buffers; {@link #hostSyncs} counts the
 * waits). The kernels are the
 * {@code .cl} resources of this package, built once when the backend opens, with tile and
 * work-group sizes chosen from the device's limits.
 *
 * <p>Each {@link Backend} operation maps to the kernel of the same name with the same argument
 * order, a tensor becoming (buffer, offset). Where the CPU twin's work splits into stages, the
 * stages are separate kernels: matmuls are launches of one tiled {@code matmul} kernel (attention
 * uses it batched over heads around {@code attentionSoftmax} and its backward), LayerNorm's weight
 * gradient is {@code layerNormWeightGradient}, the sum of squares, Adalayer and Adafactor add
 * reduction stages, and RoPE both ways is {@code ropeRotate} with a sign. Optimizer kernels take
 * the bias corrections computed on the host in double precision where the CPU twins take the step.
 *
 * <p>Not thread-safe: one training loop drives one backend.
 */
public final class OpenClBackend implements Backend {

    /** Work-group size of the element-wise kernels. */
    private static final int ELEMENT_GROUP = 64;
    /** Row-kernel work-group sizes: one group per row, wide on GPUs, narrow on CPU devices. */
    private static final int GPU_ROW_GROUP = 256;
    private static final int CPU_ROW_GROUP = 16;
    /** Largest block Adalayer's block-mean kernel reduces in one piece (larger blocks are summed in pieces). */
    private static final int PIECE = 1 << 15;
    /** The sum of squares reduces in at most this many double partials, each over at least group x 16 values. */
    private static final int MAX_PARTIALS = 1024;
    private static final int MIN_ITEMS_PER_PARTIAL = 16;

    private final OpenClDevice device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final DeviceBuffers buffers;
    private final ClProgram program;
    private final ElementwisePrograms rules;
    private final int group;
    private final cl_mem noState;
    private final ClGemm gemm;
    private final List<IntStaging> stagings = new ArrayList<>();
    private long hostSyncs;

    /** Opens the device a selector names ({@code opencl} or {@code opencl:P:D}). */
    public static OpenClBackend open(String selector) {
        return new OpenClBackend(OpenClDevices.select(selector));
    }

    /** A backend on {@code device} with the sgemm kernel that suits its type. */
    public OpenClBackend(OpenClDevice device) {
        this(device, device.isGpu() ? ClGemm.Kernel.TILED : ClGemm.Kernel.VECTOR);
    }

    @SuppressWarnings("deprecation")
    OpenClBackend(OpenClDevice device, ClGemm.Kernel matmulKernel) {
        CL.setExceptionsEnabled(true);
        SignalChaining.warnIfInactive();
        this.device = device;
        this.group = rowGroup(device);
        int tile = ClGemm.tileFor(device);
        try {
            cl_context_properties props = new cl_context_properties();
            props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
            context = clCreateContext(props, 1, new cl_device_id[] {device.device()}, null, null, null);
            queue = clCreateCommandQueue(context, device.device(), 0, null);
        } catch (CLException e) {
            throw new KernelException("cannot open " + device.describe() + ": " + e.getMessage(), e);
        }
        buffers = new DeviceBuffers(context, queue, device);
        String options = "-DGROUP=" + group + ClGemm.buildOptions(tile);
        ClProgram built;
        try {
            built = new ClProgram(context, device.device(), device.describe(), options);
        } catch (RuntimeException e) {
            releaseContext();
            throw e;
        }
        program = built;
        rules = new ElementwisePrograms(context, device.device(), device.describe(), options);
        gemm = new ClGemm(program, queue, buffers, matmulKernel, tile);
        noState = buffers.allocate(4, "an empty state");
    }

    /** Work-group size of the row kernels: 16 on CPUs, 256 on GPUs, within the device's limit. */
    private static int rowGroup(OpenClDevice device) {
        int wanted = device.isGpu() ? GPU_ROW_GROUP : CPU_ROW_GROUP;
        int g = 1;
        while (g * 2 <= Math.min(wanted, device.maxWorkGroupSize())) {
            g *= 2;
        }
        return g;
    }

    /** The device this backend runs on. */
    public OpenClDevice device() {
        return device;
    }

    @Override
    public String description() {
        return "opencl " + device.describe();
    }

    @Override
    public ClFloatTensor allocate(long length) {
        return new ClFloatTensor(buffers.allocate((long) Float.BYTES * length, "a tensor of " + length + " floats"), 0,
                (int) length);
    }

    @Override
    public ClIntTensor allocateInts(long length) {
        cl_mem mem = buffers.allocate((long) Integer.BYTES * length, "a tensor of " + length + " ints");
        ClIntTensor tensor = new ClIntTensor(mem, 0, (int) length, new int[(int) length], new IntStaging((int) length));
        stagings.add(tensor.staging);
        return tensor;
    }

    @Override
    public void write(FloatTensor dst, float[] src, int srcOffset, int length) {
        ClFloatTensor d = require(dst, length, "dst");
        if (length > 0) {
            hostSyncs++;
            clEnqueueWriteBuffer(queue, d.buffer, CL_TRUE, 4L * d.offset(), 4L * length,
                    Pointer.to(src).withByteOffset(4L * srcOffset), 0, null, null);
        }
    }

    @Override
    public void read(float[] dst, int dstOffset, FloatTensor src, int length) {
        ClFloatTensor s = require(src, length, "src");
        if (length > 0) {
            hostSyncs++;
            clEnqueueReadBuffer(queue, s.buffer, CL_TRUE, 4L * s.offset(), 4L * length,
                    Pointer.to(dst).withByteOffset(4L * dstOffset), 0, null, null);
        }
    }

    @Override
    public void writeInts(IntTensor dst, int[] src, int srcOffset, int length) {
        ClIntTensor d = requireInts(dst, length);
        System.arraycopy(src, srcOffset, d.host, d.offset(), length);
        if (length > 0) {
            Pointer staged = d.staging.fill(d.offset(), src, srcOffset, length);
            cl_event copy = new cl_event();
            clEnqueueWriteBuffer(queue, d.buffer, CL_FALSE, 4L * d.offset(), 4L * length, staged, 0, null, copy);
            d.staging.copying(copy);
        }
    }

    @Override
    public void synchronize() {
        hostSyncs++;
        clFinish(queue);
    }

    @Override
    public long hostSyncs() {
        return hostSyncs;
    }

    private KernelCall call(String kernel) {
        return new KernelCall(queue, program.kernel(kernel));
    }

    /** Enqueues an element-wise kernel whose items handle four elements each. */
    private static void byFours(KernelCall call, long n) {
        call.items((n + 3) / 4, ELEMENT_GROUP);
    }

    @Override
    public void fill(FloatTensor out, float value, long n) {
        byFours(call("fill").tensor(require(out, n, "out")).real(value).integer(n), n);
    }

    @Override
    public void matmulForward(FloatTensor out, FloatTensor inp, FloatTensor weight, int n, int c, int oc) {
        ClFloatTensor o = require(out, (long) n * oc, "out");
        ClFloatTensor x = require(inp, (long) n * c, "inp");
        ClFloatTensor w = require(weight, (long) oc * c, "weight");
        gemm.multiply(o, oc, x, c, false, w, c, true, n, oc, c, false, ClGemm.Batch.ONE);
    }

    @Override
    public void matmulBackward(FloatTensor dinp, FloatTensor dweight, FloatTensor dout, FloatTensor inp,
                               FloatTensor weight, int n, int c, int oc) {
        ClFloatTensor dx = require(dinp, (long) n * c, "dinp");
        ClFloatTensor dw = require(dweight, (long) oc * c, "dweight");
        ClFloatTensor dy = require(dout, (long) n * oc, "dout");
        ClFloatTensor x = require(inp, (long) n * c, "inp");
        ClFloatTensor w = require(weight, (long) oc * c, "weight");
        gemm.multiply(dx, c, dy, oc, false, w, c, false, n, c, oc, false, ClGemm.Batch.ONE);
        gemm.multiply(dw, c, dy, oc, true, x, c, false, oc, c, n, true, ClGemm.Batch.ONE);
    }

    @Override
    public void matmul(FloatTensor out, FloatTensor a, boolean transA, FloatTensor b, boolean transB,
                       int m, int n, int k, boolean accumulate) {
        ClFloatTensor o = require(out, (long) m * n, "out");
        ClFloatTensor x = require(a, (long) m * k, "a");
        ClFloatTensor y = require(b, (long) k * n, "b");
        gemm.multiply(o, n, x, transA ? m : k, transA, y, transB ? k : n, transB, m, n, k, accumulate, ClGemm.Batch.ONE);
    }

    @Override
    public void layerNormForward(FloatTensor out, FloatTensor mean, FloatTensor rstd, FloatTensor inp,
                                 FloatTensor weight, int n, int c) {
        call("layerNormForward").tensor(require(out, (long) n * c, "out")).tensor(require(mean, n, "mean"))
                .tensor(require(rstd, n, "rstd")).tensor(require(inp, (long) n * c, "inp"))
                .tensor(require(weight, c, "weight")).integer(n).integer(c).groups(n, group);
    }

    @Override
    public void layerNormBackward(FloatTensor dinp, FloatTensor dweight, FloatTensor dout, FloatTensor inp,
                                  FloatTensor weight, FloatTensor mean, FloatTensor rstd, int n, int c) {
        ClFloatTensor dy = require(dout, (long) n * c, "dout");
        ClFloatTensor x = require(inp, (long) n * c, "inp");
        ClFloatTensor mu = require(mean, n, "mean");
        ClFloatTensor rs = require(rstd, n, "rstd");
        call("layerNormBackward").tensor(require(dinp, (long) n * c, "dinp")).tensor(dy).tensor(x)
                .tensor(require(weight, c, "weight")).tensor(mu).tensor(rs).integer(n).integer(c).groups(n, group);
        call("layerNormWeightGradient").tensor(require(dweight, c, "dweight")).tensor(dy).tensor(x).tensor(mu)
                .tensor(rs).integer(n).integer(c).items(c, ELEMENT_GROUP);
    }

    @Override
    public void ropeForward(FloatTensor out, FloatTensor inp, FloatTensor cos, FloatTensor sin,
                            int b, int t, int c, int h) {
        rope(out, inp, cos, sin, b, t, c, h, 1f, "out", "inp");
    }

    @Override
    public void ropeBackward(FloatTensor dinp, FloatTensor dout, FloatTensor cos, FloatTensor sin,
                             int b, int t, int c, int h) {
        rope(dinp, dout, cos, sin, b, t, c, h, -1f, "dinp", "dout");
    }

    private void rope(FloatTensor out, FloatTensor inp, FloatTensor cos, FloatTensor sin, int b, int t, int c,
                      int h, float sign, String outName, String inpName) {
        TensorChecks.checkHeads(c, h);
        long btc = (long) b * t * c;
        long half = (long) t * (c / h / 2);
        call("ropeRotate").tensor(require(out, btc, outName)).tensor(require(inp, btc, inpName))
                .tensor(require(cos, half, "cos")).tensor(require(sin, half, "sin")).integer(b).integer(t).integer(c)
                .integer(h).real(sign).items(btc / 2, ELEMENT_GROUP);
    }

    @Override
    public void attentionForward(FloatTensor out, FloatTensor att, FloatTensor q, FloatTensor k, FloatTensor v,
                                 int b, int t, int c, int h) {
        TensorChecks.checkHeads(c, h);
        long btc = (long) b * t * c;
        ClFloatTensor o = require(out, btc, "out");
        ClFloatTensor p = require(att, (long) b * h * t * t, "att");
        ClFloatTensor qs = require(q, btc, "q");
        ClFloatTensor ks = require(k, btc, "k");
        ClFloatTensor vs = require(v, btc, "v");
        int hs = c / h;
        ClGemm.Batch qk = heads(b, t, c, h, true);
        gemm.multiply(p, t, qs, c, false, ks, c, true, t, t, hs, false, qk);
        call("attentionSoftmax").tensor(p).integer(t).real(scale(hs)).groups((long) b * h * t, group);
        gemm.multiply(o, c, p, t, false, vs, c, false, t, hs, t, false, heads(b, t, c, h, false));
    }

    @Override
    public void attentionBackward(FloatTensor dq, FloatTensor dk, FloatTensor dv, FloatTensor dout, FloatTensor att,
                                  FloatTensor q, FloatTensor k, FloatTensor v, int b, int t, int c, int h) {
        TensorChecks.checkHeads(c, h);
        long btc = (long) b * t * c;
        long probabilities = (long) b * h * t * t;
        ClFloatTensor dqs = require(dq, btc, "dq");
        ClFloatTensor dks = require(dk, btc, "dk");
        ClFloatTensor dvs = require(dv, btc, "dv");
        ClFloatTensor dy = require(dout, btc, "dout");
        ClFloatTensor p = require(att, probabilities, "att");
        ClFloatTensor qs = require(q, btc, "q");
        ClFloatTensor ks = require(k, btc, "k");
        ClFloatTensor vs = require(v, btc, "v");
        int hs = c / h;
        ClFloatTensor ds = new ClFloatTensor(buffers.scratch("attention", Float.BYTES * probabilities), 0,
                Math.toIntExact(probabilities));   // (B,H,T,T)
        ClGemm.Batch toScores = heads(b, t, c, h, true);
        ClGemm.Batch fromScores = heads(b, t, c, h, false);
        gemm.multiply(ds, t, dy, c, false, vs, c, true, t, t, hs, false, toScores);
        call("attentionSoftmaxBackward").tensor(ds).tensor(p).integer(t).real(scale(hs))
                .groups((long) b * h * t, group);
        gemm.multiply(dqs, c, ds, t, false, ks, c, false, t, hs, t, false, fromScores);
        gemm.multiply(dks, c, ds, t, true, qs, c, false, t, hs, t, false, fromScores);
        gemm.multiply(dvs, c, p, t, true, dy, c, false, t, hs, t, false, fromScores);
    }

    private static float scale(int hs) {
        return (float) (1.0 / Math.sqrt(hs));
    }

    /**
     * The batch over (batch, head) of attention's products: toScores maps two (B,T,C) operands to
     * (B,H,T,T) scores; otherwise scores (a) and a (B,T,C) operand (b) map to (B,T,C).
     */
    private static ClGemm.Batch heads(int b, int t, int c, int h, boolean toScores) {
        int hs = c / h;
        int rows = t * c;
        int scores = t * t;
        if (toScores) {
            return new ClGemm.Batch(b * h, h, rows, hs, rows, hs, h * scores, scores);
        }
        return new ClGemm.Batch(b * h, h, h * scores, scores, rows, hs, rows, hs);
    }

    @Override
    public void geluForward(FloatTensor out, FloatTensor inp, int n) {
        byFours(call("geluForward").tensor(require(out, n, "out")).tensor(require(inp, n, "inp")).integer(n), n);
    }

    @Override
    public void geluBackward(FloatTensor dinp, FloatTensor inp, FloatTensor dout, int n) {
        byFours(call("geluBackward").tensor(require(dinp, n, "dinp")).tensor(require(inp, n, "inp"))
                .tensor(require(dout, n, "dout")).integer(n), n);
    }

    @Override
    public void embeddingForward(FloatTensor out, IntTensor tokens, FloatTensor wte, int n, int c) {
        ClIntTensor ids = requireInts(tokens, n);
        ClFloatTensor table = ClFloatTensor.of(wte);
        int vocab = (int) (table.length() / c);
        for (int row = 0; row < n; row++) {
            int token = ids.host[ids.offset() + row];
            if (token < 0 || token >= vocab) {
                throw TensorChecks.tokenOutsideVocabulary(token, row, vocab);
            }
        }
        call("embeddingForward").tensor(require(out, (long) n * c, "out")).tensor(ids).tensor(table).integer(n)
                .integer(c).items((long) n * c, ELEMENT_GROUP);
    }

    @Override
    public void embeddingBackward(FloatTensor dwte, FloatTensor dout, IntTensor tokens, int n, int c) {
        call("embeddingBackward").tensor(ClFloatTensor.of(dwte)).tensor(require(dout, (long) n * c, "dout"))
                .tensor(requireInts(tokens, n)).integer(n).integer(c).items(c, ELEMENT_GROUP);
    }

    @Override
    public void residualForward(FloatTensor out, FloatTensor a, FloatTensor b, int n) {
        byFours(call("residualForward").tensor(require(out, n, "out")).tensor(require(a, n, "a"))
                .tensor(require(b, n, "b")).integer(n), n);
    }

    @Override
    public void crossEntropyForward(FloatTensor ce, FloatTensor lse, FloatTensor logits, IntTensor targets,
                                    int n, int v) {
        ClIntTensor ids = checkedTargets(targets, n, v);
        call("crossEntropyForward").tensor(require(ce, n, "ce")).tensor(require(lse, n, "lse"))
                .tensor(require(logits, (long) n * v, "logits")).tensor(ids).integer(n).integer(v).groups(n, group);
    }

    @Override
    public void crossEntropyBackward(FloatTensor dlogits, FloatTensor logits, FloatTensor lse, IntTensor targets,
                                     float scale, float zCoef, int n, int v) {
        ClIntTensor ids = checkedTargets(targets, n, v);
        call("crossEntropyBackward").tensor(require(dlogits, (long) n * v, "dlogits"))
                .tensor(require(logits, (long) n * v, "logits")).tensor(require(lse, n, "lse")).tensor(ids)
                .real(scale).real(zCoef).integer(n).integer(v).items((long) n * v, ELEMENT_GROUP);
    }

    private static ClIntTensor checkedTargets(IntTensor targets, int n, int v) {
        ClIntTensor ids = requireInts(targets, n);
        for (int row = 0; row < n; row++) {
            int target = ids.host[ids.offset() + row];
            if (target < 0 || target >= v) {
                throw TensorChecks.targetOutsideVocabulary(target, row, v);
            }
        }
        return ids;
    }

    @Override
    public void sumOfSquares(FloatTensor out, FloatTensor inp, long n) {
        ClFloatTensor x = require(inp, n, "inp");
        int span = Math.max(group * MIN_ITEMS_PER_PARTIAL,
                (int) Math.min(Integer.MAX_VALUE, (n + MAX_PARTIALS - 1) / MAX_PARTIALS));
        int parts = (int) Math.max(1, (n + span - 1) / span);
        cl_mem partials = buffers.scratch("partials", Double.BYTES * (long) parts);
        call("sumOfSquaresPartial").buffer(partials).tensor(x).integer(n).integer(span).groups(parts, group);
        call("sumOfSquares").tensor(require(out, 1, "out")).buffer(partials).integer(parts).groups(1, group);
    }

    @Override
    public void axpby(FloatTensor out, float alpha, FloatTensor x, float beta, FloatTensor y, long n) {
        byFours(call("axpby").tensor(require(out, n, "out")).real(alpha).tensor(require(x, n, "x")).real(beta)
                .tensor(require(y, n, "y")).integer(n), n);
    }

    @Override
    public void elementwiseUpdate(ElementwiseKernel kernel, FloatTensor param, FloatTensor grad, List<FloatTensor> state,
                                  long n, float[] scalars) {
        TensorChecks.checkElementwise(kernel, state.size(), scalars.length);
        KernelCall call = new KernelCall(queue, rules.kernel(kernel)).tensor(require(param, n, "param"))
                .tensor(require(grad, n, "grad"));
        for (int j = 0; j < state.size(); j++) {
            call.tensor(require(state.get(j), n, kernel.name() + " state " + j));
        }
        call.integer(n);
        for (float k : scalars) {
            call.real(k);
        }
        call.items(n, ELEMENT_GROUP);
    }

    @Override
    public void blockAdamUpdate(FloatTensor param, FloatTensor grad, FloatTensor m, FloatTensor vBlocks, long n,
                                int blockSize, float lr, float beta1, float beta2, float eps, float decay,
                                float gradScale, float c1, float c2) {
        TensorChecks.checkBlocks(blockSize, n);
        ClFloatTensor p = require(param, n, "param");
        ClFloatTensor g = require(grad, n, "grad");
        ClFloatTensor ms = require(m, n, "m");
        long blocks = n / blockSize;
        ClFloatTensor vb = require(vBlocks, blocks, "vBlocks");
        int pieceSize = Math.min(blockSize, PIECE);
        int pieces = (blockSize + pieceSize - 1) / pieceSize;
        cl_mem partials = buffers.scratch("blocks", Double.BYTES * blocks * pieces);
        call("blockSumOfSquares").buffer(partials).tensor(g).integer(blockSize).integer(pieceSize).integer(pieces)
                .groups(blocks * pieces, group);
        call("blockSecondMoment").tensor(vb).buffer(partials).integer(blocks).integer(pieces).integer(blockSize)
                .real(beta2).real(gradScale).items(blocks, ELEMENT_GROUP);
        call("blockAdamUpdate").tensor(p).tensor(g).tensor(ms).tensor(vb).integer(n).integer(blockSize).real(lr)
                .real(beta1).real(eps).real(decay).real(gradScale).real(c1).real(c2).items(n, ELEMENT_GROUP);
    }

    @Override
    public void adafactorUpdate(FloatTensor param, FloatTensor grad, FloatTensor m, FloatTensor rowV,
                                FloatTensor colV, int rows, int cols, float lr, float beta1, float beta2, float eps,
                                float decay, float gradScale, int step) {
        long n = (long) rows * cols;
        ClFloatTensor p = require(param, n, "param");
        ClFloatTensor g = require(grad, n, "grad");
        ClFloatTensor r = require(rowV, rows, "rowV");
        ClFloatTensor c = require(colV, cols, "colV");
        cl_mem rowMean = buffers.scratch("rowMean", 4);
        call("adafactorRows").tensor(r).tensor(g).integer(rows).integer(cols).real(beta2).real(gradScale)
                .groups(rows, group);
        call("adafactorColumns").tensor(c).tensor(g).integer(rows).integer(cols).real(beta2).real(gradScale)
                .items(cols, ELEMENT_GROUP);
        call("adafactorRowMean").buffer(rowMean).tensor(r).integer(rows).groups(1, group);
        KernelCall update = call("adafactorUpdate").tensor(p).tensor(g);
        if (m == null) {
            update.buffer(noState).integer(0).flag(false);
        } else {
            update.tensor(require(m, n, "m")).flag(true);
        }
        update.tensor(r).tensor(c).buffer(rowMean).integer(rows).integer(cols).real(lr).real(beta1).real(eps)
                .real(decay).real(gradScale).real(BiasCorrection.factor(beta1, step))
                .real(BiasCorrection.factor(beta2, step))
                .items(n, ELEMENT_GROUP);
    }

    @Override
    public void nesterovMomentum(FloatTensor update, FloatTensor grad, FloatTensor buf, long n, float mu,
                                 float gradScale) {
        call("nesterovMomentum").tensor(require(update, n, "update")).tensor(require(grad, n, "grad"))
                .tensor(require(buf, n, "buf")).integer(n).real(mu).real(gradScale).items(n, ELEMENT_GROUP);
    }

    @Override
    public void close() {
        try {
            clFinish(queue);
        } finally {
            try {
                stagings.forEach(IntStaging::close);
            } finally {
                try {
                    rules.close();
                } finally {
                    try {
                        program.close();
                    } finally {
                        try {
                            buffers.close();
                        } finally {
                            releaseContext();
                        }
                    }
                }
            }
        }
    }

    private void releaseContext() {
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }

    private static ClFloatTensor require(FloatTensor tensor, long elements, String name) {
        ClFloatTensor cl = ClFloatTensor.of(tensor);
        TensorChecks.requireLength(cl.length(), elements, name);
        return cl;
    }

    private static ClIntTensor requireInts(IntTensor tensor, long elements) {
        ClIntTensor cl = ClIntTensor.of(tensor);
        TensorChecks.requireInts(cl.length(), elements);
        return cl;
    }
}
