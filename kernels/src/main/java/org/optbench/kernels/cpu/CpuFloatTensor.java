package org.optbench.kernels.cpu;

import org.optbench.kernels.FloatTensor;
import org.optbench.kernels.TensorWindow;

/**
 * A float tensor of the CPU backend: a window {@code [offset, offset + length)} of a Java array.
 * Kernels read {@link #array} and {@link #offset()} directly.
 */
public final class CpuFloatTensor extends TensorWindow<CpuFloatTensor> implements FloatTensor {

    final float[] array;

    CpuFloatTensor(float[] array, int offset, int length) {
        super(offset, length);
        this.array = array;
    }

    static CpuFloatTensor of(FloatTensor tensor) {
        return own(CpuFloatTensor.class, tensor, "CPU");
    }

    @Override
    protected CpuFloatTensor window(int offset, int length) {
        return new CpuFloatTensor(array, offset, length);
    }
}
