package org.optbench.kernels.opencl;

import org.jocl.cl_mem;
import org.optbench.kernels.FloatTensor;
import org.optbench.kernels.TensorChecks;

/**
 * A float tensor of the OpenCL backend: a window {@code [offset, offset + length)} of a device
 * buffer. Kernels get the buffer and the element offset as two arguments, because slices are not
 * aligned as OpenCL sub-buffers must be.
 */
public final class ClFloatTensor implements FloatTensor {

    final cl_mem buffer;
    final int offset;
    private final int length;

    ClFloatTensor(cl_mem buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    static ClFloatTensor of(FloatTensor tensor) {
        if (tensor instanceof ClFloatTensor cl) {
            return cl;
        }
        throw TensorChecks.foreignTensor("OpenCL", tensor);
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public ClFloatTensor slice(long from, long count) {
        TensorChecks.checkSlice(from, count, length);
        return new ClFloatTensor(buffer, offset + (int) from, (int) count);
    }
}
