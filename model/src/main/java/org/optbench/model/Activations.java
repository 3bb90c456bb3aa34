package org.optbench.model;

import java.util.function.LongFunction;
import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;

/**
 * Every activation buffer of one forward/backward pass at a fixed batch size, allocated once on
 * the model's backend, plus the gradient scratch that the backward pass reuses layer by layer.
 * Legend: N = B*T rows, C channels, F MLP width, V vocabulary, H heads.
 */
final class Activations {

    /** What one block keeps from forward for backward. */
    static final class Layer {
        final FloatTensor x;        // (N,C) block input, the residual stream
        final FloatTensor ln1;      // (N,C)
        final FloatTensor ln1Mean;  // (N)
        final FloatTensor ln1Rstd;  // (N)
        final FloatTensor q;        // (N,C) before QK-norm
        final FloatTensor k;        // (N,C) before QK-norm
        final FloatTensor v;        // (N,C)
        final FloatTensor qMean;    // (N)
        final FloatTensor qRstd;    // (N)
        final FloatTensor kMean;    // (N)
        final FloatTensor kRstd;    // (N)
        final FloatTensor qr;       // (N,C) normalised and rotated q
        final FloatTensor kr;       // (N,C) normalised and rotated k
        final FloatTensor att;      // (B,H,T,T) attention probabilities
        final FloatTensor attY;     // (N,C) attention output before the projection
        final FloatTensor xMid;     // (N,C) residual stream after attention
        final FloatTensor ln2;      // (N,C)
        final FloatTensor ln2Mean;  // (N)
        final FloatTensor ln2Rstd;  // (N)
        final FloatTensor fc;       // (N,F) before GELU
        final FloatTensor fcGelu;   // (N,F)

        Layer(LongFunction<FloatTensor> be, FloatTensor x, int n, int c, int f, long attSize) {
            this.x = x;
            ln1 = be.apply((long) n * c);
            ln1Mean = be.apply(n);
            ln1Rstd = be.apply(n);
            q = be.apply((long) n * c);
            k = be.apply((long) n * c);
            v = be.apply((long) n * c);
            qMean = be.apply(n);
            qRstd = be.apply(n);
            kMean = be.apply(n);
            kRstd = be.apply(n);
            qr = be.apply((long) n * c);
            kr = be.apply((long) n * c);
            att = be.apply(attSize);
            attY = be.apply((long) n * c);
            xMid = be.apply((long) n * c);
            ln2 = be.apply((long) n * c);
            ln2Mean = be.apply(n);
            ln2Rstd = be.apply(n);
            fc = be.apply((long) n * f);
            fcGelu = be.apply((long) n * f);
        }
    }

    final Layer[] layers;
    final FloatTensor xFinal;   // (N,C) output of the last block
    final FloatTensor lnf;      // (N,C)
    final FloatTensor lnfMean;  // (N)
    final FloatTensor lnfRstd;  // (N)
    final FloatTensor logits;   // (N,V), overwritten by its gradient in backward
    final FloatTensor proj;     // (N,C) scratch for projection outputs

    final FloatTensor dResidual; // (N,C) gradient of the residual stream
    final FloatTensor dC1;       // (N,C) scratch gradient
    final FloatTensor dC2;       // (N,C) scratch gradient
    final FloatTensor dq;        // (N,C)
    final FloatTensor dk;        // (N,C)
    final FloatTensor dv;        // (N,C)
    final FloatTensor dF;        // (N,F)

    Activations(Backend backend, ModelConfig config, int batch) {
        this(backend::allocate, config, batch);
    }

    /** Floats of every buffer for this shape, without allocating: for memory estimates. */
    static long floats(ModelConfig config, int batch) {
        long[] total = new long[1];
        new Activations(n -> {
            total[0] += n;
            return null;
        }, config, batch);
        return total[0];
    }

    private Activations(LongFunction<FloatTensor> be, ModelConfig config, int batch) {
        int t = config.seqLen();
        int n = batch * t;
        int c = config.dModel();
        int f = config.mlpHidden();
        long attSize = (long) batch * config.nHeads() * t * t;
        layers = new Layer[config.nLayers()];
        FloatTensor x = be.apply((long) n * c);
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new Layer(be, x, n, c, f, attSize);
            x = be.apply((long) n * c);
        }
        xFinal = x;
        lnf = be.apply((long) n * c);
        lnfMean = be.apply(n);
        lnfRstd = be.apply(n);
        logits = be.apply((long) n * config.vocabSize());
        proj = be.apply((long) n * c);
        dResidual = be.apply((long) n * c);
        dC1 = be.apply((long) n * c);
        dC2 = be.apply((long) n * c);
        dq = be.apply((long) n * c);
        dk = be.apply((long) n * c);
        dv = be.apply((long) n * c);
        dF = be.apply((long) n * f);
    }

    /** The residual-stream input of block {@code l + 1}, or the final output for the last block. */
    FloatTensor next(int l) {
        return l + 1 < layers.length ? layers[l + 1].x : xFinal;
    }
}
