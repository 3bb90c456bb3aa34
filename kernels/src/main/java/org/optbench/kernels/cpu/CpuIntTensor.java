package org.optbench.kernels.cpu;

import org.optbench.kernels.IntTensor;
import org.optbench.kernels.TensorChecks;

/** An int tensor of the CPU backend: a window {@code [offset, offset + length)} of a Java array. */
public final class CpuIntTensor implements IntTensor {

    final int[] array;
    final int offset;
    private final int length;

    CpuIntTensor(int[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    static CpuIntTensor of(IntTensor tensor) {
        if (tensor instanceof CpuIntTensor cpu) {
            return cpu;
        }
        throw TensorChecks.foreignTensor("CPU", tensor);
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public CpuIntTensor slice(long from, long count) {
        TensorChecks.checkSlice(from, count, length);
        return new CpuIntTensor(array, offset + (int) from, (int) count);
    }
}
