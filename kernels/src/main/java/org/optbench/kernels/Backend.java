package org.optbench.kernels;

/**
 * The operations of one training step on one compute device, over tensors that stay on that
 * device between calls. Kernels take their arguments in the order outputs, inputs, dimensions;
 * gradients carry a {@code d} prefix, and forward passes cache what the backward pass needs
 * (LayerNorm mean and reciprocal std, attention probabilities, log-sum-exp of the logits).
 *
 * <p>Dimension legend: N rows (tokens, B*T), C channels, OC output channels, V vocabulary,
 * B batch, T sequence length, H heads, hs = C/H head size.
 *
 * <p>Accumulation rule: parameter gradients are accumulated ({@code +=}); activation gradients
 * are overwritten ({@code =}), except where the input is the residual stream:
 * {@link #layerNormBackward} accumulates into {@code dinp}.
 *
 * <p>Operations may run asynchronously; {@link #read} and {@link #synchronize} wait for all work
 * issued before them.
 */
public interface Backend extends AutoCloseable {

    /** A human-readable name of the device and its configuration, recorded with results. */
    String description();

    /** A new zero-filled float tensor of {@code length} elements. */
    FloatTensor allocate(long length);

    /** A new zero-filled int tensor of {@code length} elements. */
    IntTensor allocateInts(long length);

    /** Copies {@code length} values from {@code src[srcOffset..]} into {@code dst[0..length)}. */
    void write(FloatTensor dst, float[] src, int srcOffset, int length);

    /** Copies {@code length} values from {@code src[0..length)} into {@code dst[dstOffset..]}. */
    void read(float[] dst, int dstOffset, FloatTensor src, int length);

    /** Copies {@code length} token ids from {@code src[srcOffset..]} into {@code dst[0..length)}. */
    void writeInts(IntTensor dst, int[] src, int srcOffset, int length);

    /** Waits until every operation issued so far has finished. */
    void synchronize();

    /**
     * How many times this backend has made the host wait for the device so far: blocking reads
     * and writes and synchronisations. The CPU backend computes on the calling thread and never
     * waits for a device: 0.
     */
    default long hostSyncs() {
        return 0;
    }

    /** out[0..n) = value. */
    void fill(FloatTensor out, float value, long n);

    /** out (N,OC) = inp (N,C) @ weight (OC,C)^T. */
    void matmulForward(FloatTensor out, FloatTensor inp, FloatTensor weight, int n, int c, int oc);

    /** dinp (N,C) = dout (N,OC) @ weight (OC,C); dweight (OC,C) += dout^T @ inp (N,C). */
    void matmulBackward(FloatTensor dinp, FloatTensor dweight, FloatTensor dout, FloatTensor inp,
                        FloatTensor weight, int n, int c, int oc);

    /** out (N,C) = (inp - mean) * rstd * weight (C), eps 1e-5, no bias; caches mean (N), rstd (N). */
    void layerNormForward(FloatTensor out, FloatTensor mean, FloatTensor rstd, FloatTensor inp,
                          FloatTensor weight, int n, int c);

    /** dinp (N,C) += d/dinp, dweight (C) += d/dweight, from dout (N,C) and the cached statistics. */
    void layerNormBackward(FloatTensor dinp, FloatTensor dweight, FloatTensor dout, FloatTensor inp,
                           FloatTensor weight, FloatTensor mean, FloatTensor rstd, int n, int c);

    /**
     * Rotary embedding, rotate-half convention, on every head of inp (B,T,C) at positions 0..T-1:
     * for i &lt; hs/2, out[i] = x[i]*cos - x[i+hs/2]*sin and out[i+hs/2] = x[i+hs/2]*cos + x[i]*sin,
     * with cos, sin (T, hs/2). out may alias inp.
     */
    void ropeForward(FloatTensor out, FloatTensor inp, FloatTensor cos, FloatTensor sin,
                     int b, int t, int c, int h);

    /** dinp (B,T,C) = the transpose of the rotation applied to dout; dinp may alias dout. */
    void ropeBackward(FloatTensor dinp, FloatTensor dout, FloatTensor cos, FloatTensor sin,
                      int b, int t, int c, int h);

    /**
     * Causal softmax attention, scale 1/sqrt(hs): out (B,T,C) from q, k, v (B,T,C) with head j in
     * channels [j*hs, (j+1)*hs); caches the probabilities att (B,H,T,T), zero above the diagonal.
     */
    void attentionForward(FloatTensor out, FloatTensor att, FloatTensor q, FloatTensor k,
                          FloatTensor v, int b, int t, int c, int h);

    /** dq, dk, dv (B,T,C) = gradients of attention given dout (B,T,C) and the cached att. */
    void attentionBackward(FloatTensor dq, FloatTensor dk, FloatTensor dv, FloatTensor dout,
                           FloatTensor att, FloatTensor q, FloatTensor k, FloatTensor v,
                           int b, int t, int c, int h);

    /** out[i] = inp[i] * Phi(inp[i]), the exact (erf) GELU, for i in [0, n). */
    void geluForward(FloatTensor out, FloatTensor inp, int n);

    /** dinp[i] = dout[i] * GELU'(inp[i]) for i in [0, n). */
    void geluBackward(FloatTensor dinp, FloatTensor inp, FloatTensor dout, int n);

    /** out (N,C) = wte (V,C) rows selected by tokens (N). */
    void embeddingForward(FloatTensor out, IntTensor tokens, FloatTensor wte, int n, int c);

    /** dwte (V,C) += dout (N,C) scattered by tokens (N). */
    void embeddingBackward(FloatTensor dwte, FloatTensor dout, IntTensor tokens, int n, int c);

    /** out[i] = a[i] + b[i] for i in [0, n); out may alias a or b. */
    void residualForward(FloatTensor out, FloatTensor a, FloatTensor b, int n);

    /**
     * Per row of logits (N,V): lse (N) = logsumexp(row), ce (N) = lse - row[target].
     * Every target must lie in [0, V).
     */
    void crossEntropyForward(FloatTensor ce, FloatTensor lse, FloatTensor logits, IntTensor targets,
                             int n, int v);

    /**
     * Gradient of {@code scale * sum_rows(ce + zCoef * lse^2)} with respect to the logits:
     * dlogits = scale * (softmax * (1 + 2*zCoef*lse) - onehot(target)). dlogits may alias logits.
     */
    void crossEntropyBackward(FloatTensor dlogits, FloatTensor logits, FloatTensor lse,
                              IntTensor targets, float scale, float zCoef, int n, int v);

    /** out[0] = sum of inp[i]^2 for i in [0, n), accumulated in double precision. */
    void sumOfSquares(FloatTensor out, FloatTensor inp, long n);

    /**
     * out (M,N) (+)= op(a) (M,K) @ op(b) (K,N), row-major; op(x) is x or its transpose as flagged
     * (a is (K,M) when transA, b is (N,K) when transB). With accumulate the product is added.
     */
    void matmul(FloatTensor out, FloatTensor a, boolean transA, FloatTensor b, boolean transB,
                int m, int n, int k, boolean accumulate);

    /** out[i] = alpha * x[i] + beta * y[i] for i in [0, n); out may alias x or y. */
    void axpby(FloatTensor out, float alpha, FloatTensor x, float beta, FloatTensor y, long n);

    // Optimizer updates. Each is one fused pass over a parameter tensor of n elements: g is
    // gradScale * grad (the clipping coefficient is folded in), decay is the decoupled weight-decay
    // factor 1 - lr_t * wd' applied to the parameter before the update, step counts from 1.

    /**
     * One element-wise optimizer rule over n elements: {@code kernel}'s CPU body or its OpenCL twin,
     * with its per-element state buffers (each of n) and its scalars in the kernel's order. One call
     * covers a run of parameters that lie side by side in the flat buffer, with their state side by
     * side too.
     */
    void elementwiseUpdate(ElementwiseKernel kernel, FloatTensor param, FloatTensor grad, java.util.List<FloatTensor> state,
                           long n, float[] scalars);

    /**
     * Adam with one second-moment scalar per block of {@code blockSize} consecutive elements
     * (Adalayer; also Adafactor's per-row and scalar modes): vBlocks[j] = b2*vBlocks[j] +
     * (1-b2)*mean(g^2 over block j); m = b1*m + (1-b1)*g; param = param*decay - lr * (m*c1) /
     * (sqrt(vBlocks[j]*c2) + eps). The caller gives the bias corrections c1 and c2 (usually
     * {@link BiasCorrection#factor}; 1 turns one off), and b2 = 1 keeps vBlocks as it is. vBlocks
     * has n / blockSize entries.
     */
    void blockAdamUpdate(FloatTensor param, FloatTensor grad, FloatTensor m, FloatTensor vBlocks, long n,
                         int blockSize, float lr, float beta1, float beta2, float eps, float decay, float gradScale,
                         float c1, float c2);

    /**
     * The study's Adafactor on a (rows, cols) matrix: EMAs r (rows) and c (cols) of the row and
     * column means of g^2, v = outer(r, c) / mean(r), both moments bias-corrected, no update
     * clipping or relative step; m is the bias-corrected EMA of g, or g itself when m is null
     * (beta1 = 0, "without momentum").
     */
    void adafactorUpdate(FloatTensor param, FloatTensor grad, FloatTensor m, FloatTensor rowV, FloatTensor colV,
                         int rows, int cols, float lr, float beta1, float beta2, float eps, float decay,
                         float gradScale, int step);

    /** Nesterov momentum for Muon: buf = mu*buf + g; update = g + mu*buf. */
    void nesterovMomentum(FloatTensor update, FloatTensor grad, FloatTensor buf, long n, float mu, float gradScale);

    /** Releases the backend's threads and device memory. */
    @Override
    void close();
}
