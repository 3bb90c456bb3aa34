package org.optbench.model;

import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;

/**
 * What one optimizer step reads back from the device, kept there in one buffer until the step
 * asks for it, so that a step costs one transfer and one wait however many micro-batches it
 * accumulates: the sum of squared gradients, then, per micro-batch slot, the cross-entropy and
 * the log-sum-exp of every row. The buffer is made large enough for a step's micro-batches
 * before the step's first forward pass (once, on the first step).
 *
 * <p>Shape: (1 + 2 N S) floats for S slots of N rows: [0] the sum of squared gradients; slot s
 * holds the cross-entropy (N) at 1 + 2Ns and the log-sum-exp (N) at 1 + 2Ns + N.
 */
final class StepBuffer {

    private final Backend backend;
    private final int rows;
    private FloatTensor device;
    private float[] host;
    private int slots;

    StepBuffer(Backend backend, int rows) {
        this.backend = backend;
        this.rows = rows;
        reserve(1);
    }

    /** Floats of the buffer with one slot: for memory estimates. */
    static long floats(int rows) {
        return 1 + 2L * rows;
    }

    /** Makes room for {@code wanted} slots; call before a step's first forward, as it drops what the buffer holds. */
    void reserve(int wanted) {
        if (wanted <= slots) {
            return;
        }
        int length = Math.toIntExact(1 + 2L * rows * wanted);
        device = backend.allocate(length);
        host = new float[length];
        slots = wanted;
    }

    /** The sum of squared gradients (1). */
    FloatTensor squaredNorm() {
        return device.slice(0, 1);
    }

    /** The per-row cross-entropy of micro-batch {@code slot} (N). */
    FloatTensor crossEntropy(int slot) {
        return device.slice(1 + 2L * rows * slot, rows);
    }

    /** The per-row log-sum-exp of micro-batch {@code slot} (N). */
    FloatTensor logSumExp(int slot) {
        return device.slice(1 + 2L * rows * slot + rows, rows);
    }

    /** Reads the squared norm and slots [0, count) in one transfer; returns the host copy. */
    float[] read(int count) {
        backend.read(host, 0, device, Math.toIntExact(1 + 2L * rows * count));
        return host;
    }

    /** Reads slot 0 without the norm, for a lone forward pass. */
    float[] readFirstSlot() {
        backend.read(host, 1, device.slice(1, 2L * rows), 2 * rows);
        return host;
    }

    /**
     * The loss of slot {@code slot} in the last {@link #read}: mean cross-entropy plus
     * {@code zLoss} times the mean squared log-sum-exp, both summed in row order in double.
     */
    LossValue loss(int slot, double zLoss) {
        int ce = 1 + 2 * rows * slot;
        int lse = ce + rows;
        double ceSum = 0;
        double zSum = 0;
        for (int i = 0; i < rows; i++) {
            ceSum += host[ce + i];
            zSum += (double) host[lse + i] * host[lse + i];
        }
        double meanCe = ceSum / rows;
        double z = zLoss * zSum / rows;
        return new LossValue(meanCe + z, meanCe, z);
    }

    /** The gradient norm in the last {@link #read}. */
    double gradientNorm() {
        return Math.sqrt(host[0]);
    }
}
