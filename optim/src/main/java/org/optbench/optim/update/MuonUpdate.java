package org.optbench.optim.update;

import java.util.List;
import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;
import org.optbench.model.ParameterSpec;
import org.optbench.optim.hyperparameter.HyperparameterException;
import org.optbench.optim.hyperparameter.HyperparameterValues;

/**
 * Muon (Jordan et al., 2024): Nesterov momentum, then each matrix block orthogonalised by five
 * Newton-Schulz iterations X = a*X + (b*A + c*A@A) @ X with A = X X^T and (a, b, c) = (3.4445,
 * -4.7750, 2.0315), after scaling X to unit Frobenius norm; the result is scaled by
 * sqrt(max(1, rows/cols)) as in the reference implementation. Tall blocks iterate on the
 * transpose through the matmul flags, so nothing is transposed in memory. State: momentum_buffer;
 * scratch (not state): the update and the Newton-Schulz products.
 */
public final class MuonUpdate implements TensorUpdate {

    static final float A = 3.4445f;
    static final float B = -4.7750f;
    static final float C = 2.0315f;
    private static final int ITERATIONS = 5;

    private final Backend backend;
    private final FloatTensor param;
    private final FloatTensor grad;
    private final StateBuffer buf;
    private final FloatTensor update;   // (rows, cols) Nesterov update, then X
    private final FloatTensor gram;     // (s, s), s = min(blockRows, cols)
    private final FloatTensor gram2;    // (s, s)
    private final FloatTensor product;  // (blockRows, cols)
    private final FloatTensor norm;     // (1)
    private final float[] normHost = new float[1];
    private final int blockRows;
    private final int cols;
    private final int blocks;
    private final float momentum;

    /** The update of one matrix for {@code muon}; anything but a matrix is an error naming it. */
    public static TensorUpdate create(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g, HyperparameterValues hp) {
        if (spec.rank() != 2) {
            throw new HyperparameterException("muon orthogonalises 2-D matrices; '" + spec.name() + "' has shape "
                    + spec.shapeString() + ": put it in an adamw group");
        }
        return new MuonUpdate(be, p, g, spec, Blocks.muonBlockRows(spec), hp.number("momentum"));
    }

    MuonUpdate(Backend backend, FloatTensor param, FloatTensor grad, ParameterSpec spec, int blockRows, float momentum) {
        int[] shape = spec.shape();
        this.backend = backend;
        this.param = param;
        this.grad = grad;
        this.blockRows = blockRows;
        this.cols = shape[1];
        this.blocks = shape[0] / blockRows;
        int s = Math.min(blockRows, cols);
        this.buf = new StateBuffer(spec, "momentum_buffer", backend.allocate(param.length()));
        this.update = backend.allocate(param.length());
        this.gram = backend.allocate((long) s * s);
        this.gram2 = backend.allocate((long) s * s);
        this.product = backend.allocate((long) blockRows * cols);
        this.norm = backend.allocate(1);
        this.momentum = momentum;
    }

    @Override
    public void step(int step, float lr, float decay, float gradScale) {
        long n = param.length();
        backend.nesterovMomentum(update, grad, buf.tensor(), n, momentum, gradScale);
        long blockSize = (long) blockRows * cols;
        float scale = (float) Math.sqrt(Math.max(1.0, (double) blockRows / cols));
        for (int blk = 0; blk < blocks; blk++) {
            FloatTensor x = update.slice(blk * blockSize, blockSize);
            orthogonalise(x);
            FloatTensor p = param.slice(blk * blockSize, blockSize);
            backend.axpby(p, decay, p, -lr * scale, x, blockSize);
        }
    }

    /** Replaces x (blockRows, cols) by its Newton-Schulz approximate orthogonalisation. */
    private void orthogonalise(FloatTensor x) {
        long size = (long) blockRows * cols;
        backend.sumOfSquares(norm, x, size);
        backend.read(normHost, 0, norm, 1);
        float inv = (float) (1.0 / (Math.sqrt(normHost[0]) + 1e-7));
        backend.axpby(x, inv, x, 0f, x, size);
        boolean wide = blockRows <= cols;
        int s = Math.min(blockRows, cols);
        int l = Math.max(blockRows, cols);
        for (int it = 0; it < ITERATIONS; it++) {
            if (wide) {
                backend.matmul(gram, x, false, x, true, s, s, l, false);      // A = X X^T
            } else {
                backend.matmul(gram, x, true, x, false, s, s, l, false);      // A = X^T X
            }
            backend.matmul(gram2, gram, false, gram, false, s, s, s, false);  // A @ A
            backend.axpby(gram2, B, gram, C, gram2, (long) s * s);            // B' = b*A + c*A@A (symmetric)
            if (wide) {
                backend.matmul(product, gram2, false, x, false, s, l, s, false); // B' @ X
            } else {
                backend.matmul(product, x, false, gram2, false, l, s, s, false); // X @ B'
            }
            backend.axpby(x, A, x, 1f, product, size);
        }
    }

    @Override
    public String layout() {
        return "orthogonalised as " + blocks + " x [" + blockRows + ", " + cols + "]";
    }

    @Override
    public List<StateBuffer> state() {
        return List.of(buf);
    }
}
