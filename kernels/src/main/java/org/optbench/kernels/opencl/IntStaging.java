package org.optbench.kernels.opencl;

import static org.jocl.CL.CL_COMPLETE;
import static org.jocl.CL.CL_EVENT_COMMAND_EXECUTION_STATUS;
import static org.jocl.CL.clGetEventInfo;
import static org.jocl.CL.clReleaseEvent;
import static org.jocl.CL.clWaitForEvents;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

/**
 * The host side of an int tensor's non-blocking writes: a direct buffer the device copies from
 * after the write call has returned, and the event of the last such copy. The buffer is refilled
 * only once that copy has finished, which in a training step it always has (the step's read-back
 * waited for it), so writing token ids does not wait for the device.
 *
 * <p>Shape: the root tensor's length in ints, native byte order, indexed like the device buffer.
 */
final class IntStaging {

    private final ByteBuffer bytes;
    private cl_event pending;

    IntStaging(int length) {
        bytes = ByteBuffer.allocateDirect(Integer.BYTES * Math.max(1, length)).order(ByteOrder.nativeOrder());
    }

    /**
     * Waits for the last copy from this buffer if it is still running, then copies
     * {@code src[srcOffset, srcOffset + length)} to position {@code offset}; returns whether it
     * had to wait for the device.
     */
    boolean fill(int offset, int[] src, int srcOffset, int length) {
        boolean waited = awaitPending();
        bytes.asIntBuffer().position(offset).put(src, srcOffset, length);
        return waited;
    }

    /** The staged ints from {@code offset}, for the write to copy from. */
    Pointer at(int offset) {
        return Pointer.to(bytes).withByteOffset((long) Integer.BYTES * offset);
    }

    /** Records the write now copying from this buffer. */
    void copying(cl_event event) {
        pending = event;
    }

    /** Waits for the last copy if it is still running (then releases it); returns whether it waited. */
    boolean awaitPending() {
        if (pending == null) {
            return false;
        }
        int[] status = new int[1];
        clGetEventInfo(pending, CL_EVENT_COMMAND_EXECUTION_STATUS, Sizeof.cl_int, Pointer.to(status), null);
        boolean waited = status[0] != CL_COMPLETE;
        if (waited) {
            clWaitForEvents(1, new cl_event[] {pending});
        }
        clReleaseEvent(pending);
        pending = null;
        return waited;
    }
}
