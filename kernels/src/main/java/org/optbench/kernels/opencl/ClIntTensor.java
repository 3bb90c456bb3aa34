package org.optbench.kernels.opencl;

import org.jocl.cl_mem;
import org.optbench.kernels.IntTensor;
import org.optbench.kernels.TensorWindow;

/**
 * An int tensor of the OpenCL backend: a window of a device buffer, plus a host copy of what was
 * last written to it. Token ids only ever come from the host, so the copy lets the backend check
 * them against the vocabulary before a kernel reads them, with the CPU backend's error messages.
 * Writes copy from the tensor's {@link IntStaging} without waiting for the device.
 */
public final class ClIntTensor extends TensorWindow<ClIntTensor> implements IntTensor {

    final cl_mem buffer;
    final int[] host;   // the root tensor's values, indexed like the device buffer
    final IntStaging staging;

    ClIntTensor(cl_mem buffer, int offset, int length, int[] host, IntStaging staging) {
        super(offset, length);
        this.buffer = buffer;
        this.host = host;
        this.staging = staging;
    }

    static ClIntTensor of(IntTensor tensor) {
        return own(ClIntTensor.class, tensor, "OpenCL");
    }

    @Override
    protected ClIntTensor window(int offset, int length) {
        return new ClIntTensor(buffer, offset, length, host, staging);
    }
}
