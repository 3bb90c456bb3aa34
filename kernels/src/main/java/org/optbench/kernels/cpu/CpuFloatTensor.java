package org.optbench.kernels.cpu;

import org.optbench.kernels.FloatTensor;
import org.optbench.kernels.TensorChecks;

/**
 * A float tensor of the CPU backend: a window {@code [offset, offset + length)} of a Java array.
 * Kernels read {@link #array} and {@link #offset} directly.
 */
public final class CpuFloatTensor implements FloatTensor {

    final float[] array;
    final int offset;
    private final int length;

    CpuFloatTensor(float[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    static CpuFloatTensor of(FloatTensor tensor) {
        if (tensor instanceof CpuFloatTensor cpu) {
            return cpu;
        }
        throw TensorChecks.foreignTensor("CPU", tensor);
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public CpuFloatTensor slice(long from, long count) {
        TensorChecks.checkSlice(from, count, length);
        return new CpuFloatTensor(array, offset + (int) from, (int) count);
    }
}
