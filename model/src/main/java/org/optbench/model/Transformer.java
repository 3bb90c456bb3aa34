package org.optbench.model;

import java.util.ArrayList;
import java.util.List;
import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;
import org.optbench.kernels.IntTensor;

/**
 * The paper's decoder-only transformer (OLMo variant) on a {@link Backend}: token embedding, no
 * positional embedding, pre-LN blocks with QK-LayerNorm and RoPE attention and a GELU MLP, a
 * final LayerNorm and an untied LM head; loss is mean cross-entropy plus the z-loss. Parameters,
 * gradients and activations are allocated once on the backend for a fixed batch size and stay
 * there; a step only copies the token ids in and, once, its losses and gradient norm out.
 *
 * <p>Use: {@link #forward} then {@link #backward}. Backward accumulates into the gradients, so
 * call {@link #zeroGradients} before the first micro-batch of a step. A training step uses
 * {@link #forwardMicroBatch} instead, which keeps the loss on the device, and ends with
 * {@link #readStep}, the step's one read-back.
 */
public final class Transformer {

    private final ModelConfig config;
    private final int batch;
    private final Backend backend;
    private final ParameterLayout layout;
    private final FloatTensor params;  // (P) flat, in layout order
    private final FloatTensor grads;   // (P) flat, in layout order
    private final WeightViews w;
    private final WeightViews dw;
    private final Activations acts;
    private final FloatTensor ropeCos; // (T, hs/2)
    private final FloatTensor ropeSin; // (T, hs/2)
    private final IntTensor inputs;    // (N)
    private final IntTensor targets;   // (N)
    private final StepBuffer step;
    private final List<FloatTensor> heldGradients = new ArrayList<>(); // slices of grads zeroed before each read-back
    private int slot;                  // the micro-batch slot of the last forward
    private int stepMicroBatches;      // micro-batches of the step the last forward belongs to

    public Transformer(ModelConfig config, int batchSize, Backend backend) {
        if (batchSize <= 0) {
            throw new ModelConfigException("batch size must be positive, got " + batchSize);
        }
        this.config = config;
        this.batch = batchSize;
        this.backend = backend;
        this.layout = new ParameterLayout(config);
        this.params = backend.allocate(layout.totalCount());
        this.grads = backend.allocate(layout.totalCount());
        this.w = new WeightViews(params, layout, config);
        this.dw = new WeightViews(grads, layout, config);
        this.acts = new Activations(backend, config, batchSize);
        int n = rows();
        this.inputs = backend.allocateInts(n);
        this.targets = backend.allocateInts(n);
        this.step = new StepBuffer(backend, n);
        int t = config.seqLen();
        int half = config.headSize() / 2;
        float[] cos = new float[t * half];
        float[] sin = new float[t * half];
        for (int pos = 0; pos < t; pos++) {
            for (int i = 0; i < half; i++) {
                double angle = pos * Math.pow(config.ropeTheta(), -2.0 * i / config.headSize());
                cos[pos * half + i] = (float) Math.cos(angle);
                sin[pos * half + i] = (float) Math.sin(angle);
            }
        }
        this.ropeCos = backend.allocate(cos.length);
        this.ropeSin = backend.allocate(sin.length);
        backend.write(ropeCos, cos, 0, cos.length);
        backend.write(ropeSin, sin, 0, sin.length);
    }

    /**
     * Bytes this model needs on its backend at {@code batchSize}: parameters, gradients and
     * activations (optimizer state not included), without allocating anything.
     */
    public static long estimateBytes(ModelConfig config, int batchSize) {
        return 4L * (2 * new ParameterLayout(config).totalCount() + Activations.floats(config, batchSize)
                + StepBuffer.floats(batchSize * config.seqLen()));
    }

    public ModelConfig config() {
        return config;
    }

    public int batchSize() {
        return batch;
    }

    public Backend backend() {
        return backend;
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** Tokens per forward pass, B*T. */
    public int rows() {
        return batch * config.seqLen();
    }

    /** The flat parameter buffer (P). */
    public FloatTensor parameters() {
        return params;
    }

    /** The flat gradient buffer (P), same layout as the parameters. */
    public FloatTensor gradients() {
        return grads;
    }

    /** Initialises every parameter with {@link Initializer} from {@code seed}. */
    public void initialize(long seed) {
        for (ParameterSpec spec : layout.specs()) {
            float[] values = new float[Math.toIntExact(spec.count())];
            Initializer.initialize(spec, values, seed);
            writeParameter(spec.name(), values);
        }
    }

    public void writeParameter(String name, float[] values) {
        ParameterSpec spec = layout.get(name);
        backend.write(params.slice(spec.offset(), spec.count()), values, 0, Math.toIntExact(spec.count()));
    }

    public float[] readParameter(String name) {
        return read(params, layout.get(name));
    }

    public float[] readGradient(String name) {
        return read(grads, layout.get(name));
    }

    private float[] read(FloatTensor flat, ParameterSpec spec) {
        float[] out = new float[Math.toIntExact(spec.count())];
        backend.read(out, 0, flat.slice(spec.offset(), spec.count()), out.length);
        return out;
    }

    public void zeroGradients() {
        backend.fill(grads, 0f, layout.totalCount());
    }

    /**
     * Runs the forward pass on {@code tokenInputs} and {@code tokenTargets} (each B*T ids, row
     * major (B,T)) and returns the batch loss, read back at once. The activations are kept for
     * {@link #backward}.
     */
    public LossValue forward(int[] tokenInputs, int[] tokenTargets) {
        forwardMicroBatch(tokenInputs, tokenTargets, 0, 1);
        step.readFirstSlot();
        return step.loss(0, config.zLoss());
    }

    /**
     * The forward pass of micro-batch {@code micro} (from 0) of a training step of
     * {@code microBatches}, like {@link #forward}, but its per-row losses stay on the device, in
     * the micro-batch's own slot, until {@link #readStep} reads the whole step back in one
     * transfer.
     */
    public void forwardMicroBatch(int[] tokenInputs, int[] tokenTargets, int micro, int microBatches) {
        if (micro < 0 || micro >= microBatches) {
            throw new IllegalArgumentException("micro-batch " + micro + " is not one of a step's " + microBatches);
        }
        if (micro == 0) {
            step.reserve(microBatches);
            stepMicroBatches = microBatches;
        } else if (microBatches != stepMicroBatches || micro != slot + 1) {
            throw new IllegalStateException("micro-batch " + micro + " of " + microBatches + " follows micro-batch "
                    + slot + " of " + stepMicroBatches + ": a step runs its micro-batches in order from 0");
        }
        int n = rows();
        if (tokenInputs.length != n || tokenTargets.length != n) {
            throw new ModelConfigException("a batch needs B*T = " + batch + "*" + config.seqLen() + " = " + n
                    + " inputs and targets, got " + tokenInputs.length + " and " + tokenTargets.length);
        }
        backend.writeInts(inputs, tokenInputs, 0, n);
        backend.writeInts(targets, tokenTargets, 0, n);
        int b = batch;
        int t = config.seqLen();
        int c = config.dModel();
        int h = config.nHeads();
        int f = config.mlpHidden();
        int v = config.vocabSize();
        backend.embeddingForward(acts.layers[0].x, inputs, w.wte, n, c);
        for (int l = 0; l < acts.layers.length; l++) {
            Activations.Layer a = acts.layers[l];
            WeightViews.Block p = w.blocks[l];
            backend.layerNormForward(a.ln1, a.ln1Mean, a.ln1Rstd, a.x, p.ln1, n, c);
            backend.matmulForward(a.q, a.ln1, p.wq, n, c, c);
            backend.matmulForward(a.k, a.ln1, p.wk, n, c, c);
            backend.matmulForward(a.v, a.ln1, p.wv, n, c, c);
            if (config.qkNorm()) {
                backend.layerNormForward(a.qr, a.qMean, a.qRstd, a.q, p.qNorm, n, c);
                backend.layerNormForward(a.kr, a.kMean, a.kRstd, a.k, p.kNorm, n, c);
                backend.ropeForward(a.qr, a.qr, ropeCos, ropeSin, b, t, c, h);
                backend.ropeForward(a.kr, a.kr, ropeCos, ropeSin, b, t, c, h);
            } else {
                backend.ropeForward(a.qr, a.q, ropeCos, ropeSin, b, t, c, h);
                backend.ropeForward(a.kr, a.k, ropeCos, ropeSin, b, t, c, h);
            }
            backend.attentionForward(a.attY, a.att, a.qr, a.kr, a.v, b, t, c, h);
            backend.matmulForward(acts.proj, a.attY, p.proj, n, c, c);
            backend.residualForward(a.xMid, a.x, acts.proj, n * c);
            backend.layerNormForward(a.ln2, a.ln2Mean, a.ln2Rstd, a.xMid, p.ln2, n, c);
            backend.matmulForward(a.fc, a.ln2, p.fc, n, c, f);
            backend.geluForward(a.fcGelu, a.fc, n * f);
            backend.matmulForward(acts.proj, a.fcGelu, p.mlpProj, n, f, c);
            backend.residualForward(acts.next(l), a.xMid, acts.proj, n * c);
        }
        backend.layerNormForward(acts.lnf, acts.lnfMean, acts.lnfRstd, acts.xFinal, w.lnF, n, c);
        backend.matmulForward(acts.logits, acts.lnf, w.lmHead, n, c, v);
        slot = micro;
        backend.crossEntropyForward(step.crossEntropy(micro), step.logSumExp(micro), acts.logits, targets, n, v);
    }

    /**
     * The step's one read-back, after the backward of its last micro-batch: the losses of
     * micro-batches 0 to {@code microBatches - 1} and the gradient norm, in one transfer.
     */
    public StepReadout readStep(int microBatches) {
        if (microBatches != stepMicroBatches || slot != microBatches - 1) {
            throw new IllegalStateException("a read-back of " + microBatches + " micro-batches after micro-batch "
                    + slot + " of a step of " + stepMicroBatches);
        }
        for (FloatTensor g : heldGradients) {
            backend.fill(g, 0f, g.length());
        }
        backend.sumOfSquares(step.squaredNorm(), grads, layout.totalCount());
        step.read(microBatches);
        List<LossValue> losses = new ArrayList<>(microBatches);
        for (int m = 0; m < microBatches; m++) {
            losses.add(step.loss(m, config.zLoss()));
        }
        return new StepReadout(losses, step.gradientNorm());
    }

    /**
     * Backward pass of the loss of the last {@link #forward} or {@link #forwardMicroBatch},
     * accumulated into the gradients.
     */
    public void backward() {
        backward(1f);
    }

    /**
     * Backward pass of {@code lossScale} times the loss of the last {@link #forward} or
     * {@link #forwardMicroBatch} (use 1/microbatches for gradient accumulation), accumulated into
     * the gradients. Overwrites the logits with their gradient.
     */
    public void backward(float lossScale) {
        backwardWith(lossScale, config.zLoss());
    }

    /**
     * Rows {@code first} to {@code first + count - 1} of the last forward's logits, (count, V) row
     * major, into {@code out}; before the backward, which overwrites them.
     */
    public void readLogits(int first, int count, float[] out) {
        int v = config.vocabSize();
        backend.read(out, 0, acts.logits.slice((long) first * v, (long) count * v), count * v);
    }

    /**
     * Backward pass of {@code lossScale} times the mean cross-entropy of the last forward's logits
     * on {@code labels} (B*T ids) instead of its targets, without the z-loss, accumulated into the
     * gradients: the pass of a Gauss-Newton-Bartlett curvature estimate, on labels sampled from the
     * model's own output.
     */
    public void backwardOnLabels(int[] labels, float lossScale) {
        int n = rows();
        if (labels.length != n) {
            throw new ModelConfigException("a backward on labels needs B*T = " + n + " labels, got " + labels.length);
        }
        backend.writeInts(targets, labels, 0, n);
        backwardWith(lossScale, 0f);
    }

    private void backwardWith(float lossScale, float zLoss) {
        int n = rows();
        int b = batch;
        int t = config.seqLen();
        int c = config.dModel();
        int h = config.nHeads();
        int f = config.mlpHidden();
        int v = config.vocabSize();
        backend.crossEntropyBackward(acts.logits, acts.logits, step.logSumExp(slot), targets, lossScale / n, zLoss,
                n, v);
        backend.matmulBackward(acts.dC1, dw.lmHead, acts.logits, acts.lnf, w.lmHead, n, c, v);
        backend.fill(acts.dResidual, 0f, (long) n * c);
        backend.layerNormBackward(acts.dResidual, dw.lnF, acts.dC1, acts.xFinal, w.lnF, acts.lnfMean, acts.lnfRstd,
                n, c);
        for (int l = acts.layers.length - 1; l >= 0; l--) {
            Activations.Layer a = acts.layers[l];
            WeightViews.Block p = w.blocks[l];
            WeightViews.Block g = dw.blocks[l];
            backend.matmulBackward(acts.dF, g.mlpProj, acts.dResidual, a.fcGelu, p.mlpProj, n, f, c);
            backend.geluBackward(acts.dF, a.fc, acts.dF, n * f);
            backend.matmulBackward(acts.dC1, g.fc, acts.dF, a.ln2, p.fc, n, c, f);
            backend.layerNormBackward(acts.dResidual, g.ln2, acts.dC1, a.xMid, p.ln2, a.ln2Mean, a.ln2Rstd, n, c);
            backend.matmulBackward(acts.dC1, g.proj, acts.dResidual, a.attY, p.proj, n, c, c);
            backend.attentionBackward(acts.dq, acts.dk, acts.dv, acts.dC1, a.att, a.qr, a.kr, a.v, b, t, c, h);
            backend.ropeBackward(acts.dq, acts.dq, ropeCos, ropeSin, b, t, c, h);
            backend.ropeBackward(acts.dk, acts.dk, ropeCos, ropeSin, b, t, c, h);
            if (config.qkNorm()) {
                backend.fill(acts.dC1, 0f, (long) n * c);
                backend.layerNormBackward(acts.dC1, g.qNorm, acts.dq, a.q, p.qNorm, a.qMean, a.qRstd, n, c);
                backend.fill(acts.dC2, 0f, (long) n * c);
                backend.layerNormBackward(acts.dC2, g.kNorm, acts.dk, a.k, p.kNorm, a.kMean, a.kRstd, n, c);
                backend.matmulBackward(acts.dq, g.wq, acts.dC1, a.ln1, p.wq, n, c, c);
                backend.matmulBackward(acts.dC1, g.wk, acts.dC2, a.ln1, p.wk, n, c, c);
            } else {
                backend.matmulBackward(acts.dC1, g.wq, acts.dq, a.ln1, p.wq, n, c, c);
                backend.matmulBackward(acts.dq, g.wk, acts.dk, a.ln1, p.wk, n, c, c);
            }
            // dq and dC1 now hold two of the three contributions to d(ln1); add the third.
            backend.residualForward(acts.dC1, acts.dC1, acts.dq, n * c);
            backend.matmulBackward(acts.dC2, g.wv, acts.dv, a.ln1, p.wv, n, c, c);
            backend.residualForward(acts.dC1, acts.dC1, acts.dC2, n * c);
            backend.layerNormBackward(acts.dResidual, g.ln1, acts.dC1, a.x, p.ln1, a.ln1Mean, a.ln1Rstd, n, c);
        }
        backend.embeddingBackward(dw.wte, acts.dResidual, inputs, n, c);
    }

    /**
     * Holds the LayerNorm gains where they are (a run with {@code train_norms: false}): their
     * gradients are zeroed before each step's read-back, so they leave the gradient norm that
     * clipping uses, and no optimizer group takes them.
     */
    public void holdLayerNorms() {
        for (ParameterSpec spec : layout.specs()) {
            if (ParameterLayout.isLayerNormGain(spec.name())) {
                heldGradients.add(grads.slice(spec.offset(), spec.count()));
            }
        }
    }

    /** The L2 norm of all gradients, sqrt of the sum of squares over every parameter. */
    public double gradientNorm() {
        backend.sumOfSquares(step.squaredNorm(), grads, layout.totalCount());
        return Math.sqrt(step.read(0)[0]);
    }
}
