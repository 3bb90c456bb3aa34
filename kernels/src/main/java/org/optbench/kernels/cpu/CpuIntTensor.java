package org.optbench.kernels.cpu;

import org.optbench.kernels.IntTensor;
import org.optbench.kernels.TensorWindow;

/** An int tensor of the CPU backend: a window {@code [offset, offset + length)} of a Java array. */
public final class CpuIntTensor extends TensorWindow<CpuIntTensor> implements IntTensor {

    final int[] array;

    CpuIntTensor(int[] array, int offset, int length) {
        super(offset, length);
        this.array = array;
    }

    static CpuIntTensor of(IntTensor tensor) {
        return own(CpuIntTensor.class, tensor, "CPU");
    }

    @Override
    protected CpuIntTensor window(int offset, int length) {
        return new CpuIntTensor(array, offset, length);
    }
}
