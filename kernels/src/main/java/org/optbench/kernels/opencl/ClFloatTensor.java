package org.optbench.kernels.opencl;

import org.jocl.cl_mem;
import org.optbench.kernels.FloatTensor;
import org.optbench.kernels.TensorWindow;

/**
 * A float tensor of the OpenCL backend: a window {@code [offset, offset + length)} of a device
 * buffer. Kernels get the buffer and the element offset as two arguments, because slices are not
 * aligned as OpenCL sub-buffers must be.
 */
public final class ClFloatTensor extends TensorWindow<ClFloatTensor> implements FloatTensor {

    final cl_mem buffer;

    ClFloatTensor(cl_mem buffer, int offset, int length) {
        super(offset, length);
        this.buffer = buffer;
    }

    static ClFloatTensor of(FloatTensor tensor) {
        return own(ClFloatTensor.class, tensor, "OpenCL");
    }

    @Override
    protected ClFloatTensor window(int offset, int length) {
        return new ClFloatTensor(buffer, offset, length);
    }
}
