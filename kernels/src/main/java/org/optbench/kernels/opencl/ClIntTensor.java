package org.optbench.kernels.opencl;

import org.jocl.cl_mem;
import org.optbench.kernels.IntTensor;
import org.optbench.kernels.TensorChecks;

/**
 * An int tensor of the OpenCL backend: a window of a device buffer, plus a host copy of what was
 * last written to it. Token ids only ever come from the host, so the copy lets the backend check
 * them against the vocabulary before a kernel reads them, with the CPU backend's error messages.
 */
public final class ClIntTensor implements IntTensor {

    final cl_mem buffer;
    final int offset;
    private final int length;
    final int[] host;   // the root tensor's values, indexed like the device buffer

    ClIntTensor(cl_mem buffer, int offset, int length, int[] host) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.host = host;
    }

    static ClIntTensor of(IntTensor tensor) {
        if (tensor instanceof ClIntTensor cl) {
            return cl;
        }
        throw TensorChecks.foreignTensor("OpenCL", tensor);
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public ClIntTensor slice(long from, long count) {
        TensorChecks.checkSlice(from, count, length);
        return new ClIntTensor(buffer, offset + (int) from, (int) count, host);
    }
}
