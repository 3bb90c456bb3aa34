package org.optbench.kernels.opencl;

import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clSetKernelArg;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * One kernel launch being assembled: arguments in order, then an enqueue that does not wait.
 * Tensors add two arguments, the buffer and the element offset. Not thread-safe: a kernel object
 * holds its arguments until the launch is enqueued.
 */
final class KernelCall {

    private final cl_command_queue queue;
    private final cl_kernel kernel;
    private int index;

    KernelCall(cl_command_queue queue, cl_kernel kernel) {
        this.queue = queue;
        this.kernel = kernel;
    }

    KernelCall tensor(ClFloatTensor t) {
        return buffer(t.buffer).integer(t.offset());
    }

    KernelCall tensor(ClIntTensor t) {
        return buffer(t.buffer).integer(t.offset());
    }

    KernelCall buffer(cl_mem m) {
        clSetKernelArg(kernel, index++, Sizeof.cl_mem, Pointer.to(m));
        return this;
    }

    KernelCall integer(long v) {
        clSetKernelArg(kernel, index++, Sizeof.cl_int, Pointer.to(new int[] {Math.toIntExact(v)}));
        return this;
    }

    KernelCall real(float v) {
        clSetKernelArg(kernel, index++, Sizeof.cl_float, Pointer.to(new float[] {v}));
        return this;
    }

    KernelCall flag(boolean v) {
        return integer(v ? 1 : 0);
    }

    /** Enqueues {@code items} work items in groups of {@code group}, rounded up to whole groups. */
    void items(long items, int group) {
        long global = Math.max(1, (items + group - 1) / group) * group;
        clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {global}, new long[] {group}, 0, null, null);
    }

    /** Enqueues {@code groups} work-groups of {@code group} items each. */
    void groups(long groups, int group) {
        if (groups > 0) {
            clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {groups * group}, new long[] {group}, 0,
                    null, null);
        }
    }

    /** Enqueues a 3-D range. */
    void grid(long[] global, long[] local) {
        clEnqueueNDRangeKernel(queue, kernel, 3, null, global, local, 0, null, null);
    }
}
