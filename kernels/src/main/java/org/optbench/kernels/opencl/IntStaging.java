package org.optbench.kernels.opencl;

import static org.jocl.CL.CL_COMPLETE;
import static org.jocl.CL.CL_EVENT_COMMAND_EXECUTION_STATUS;
import static org.jocl.CL.clGetEventInfo;
import static org.jocl.CL.clReleaseEvent;
import static org.jocl.CL.clWaitForEvents;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

/**
 * The host side of an int tensor's non-blocking writes: direct buffers the device copies from
 * after the write call has returned, each with the event of the copy it last fed. A write takes a
 * buffer whose copy has finished, or a new one, so writing token ids never waits for the device;
 * there are as many buffers as writes the device has not reached yet (one per micro-batch of a
 * step at most, since each step's read-back waits for everything before it).
 *
 * <p>Shape of each buffer: the root tensor's length in ints, native byte order, indexed like the
 * device buffer.
 */
final class IntStaging {

    private final int length;
    private final List<Slot> slots = new ArrayList<>();
    private Slot last;

    /** One staging buffer and the copy from it that may still be running (null: none). */
    private static final class Slot {
        final ByteBuffer bytes;
        final IntBuffer ints;   // a view of bytes
        cl_event copy;

        Slot(int length) {
            bytes = ByteBuffer.allocateDirect(Integer.BYTES * Math.max(1, length)).order(ByteOrder.nativeOrder());
            ints = bytes.asIntBuffer();
        }
    }

    IntStaging(int length) {
        this.length = length;
    }

    /**
     * Copies {@code src[srcOffset, srcOffset + count)} to position {@code offset} of a buffer no
     * copy is reading, and returns where the write should copy from; pass the write's event to
     * {@link #copying}.
     */
    Pointer fill(int offset, int[] src, int srcOffset, int count) {
        Slot slot = free();
        slot.ints.position(offset);
        slot.ints.put(src, srcOffset, count);
        last = slot;
        return Pointer.to(slot.bytes).withByteOffset((long) Integer.BYTES * offset);
    }

    /** Records the write now copying from the buffer the last {@link #fill} returned. */
    void copying(cl_event event) {
        last.copy = event;
    }

    private Slot free() {
        for (Slot slot : slots) {
            if (slot.copy == null || finished(slot.copy)) {
                release(slot);
                return slot;
            }
        }
        Slot slot = new Slot(length);
        slots.add(slot);
        return slot;
    }

    private static boolean finished(cl_event event) {
        int[] status = new int[1];
        clGetEventInfo(event, CL_EVENT_COMMAND_EXECUTION_STATUS, Sizeof.cl_int, Pointer.to(status), null);
        return status[0] == CL_COMPLETE;
    }

    private static void release(Slot slot) {
        if (slot.copy != null) {
            cl_event event = slot.copy;
            slot.copy = null;
            clReleaseEvent(event);
        }
    }

    /** Waits for every copy still reading these buffers and releases their events (on close). */
    void close() {
        for (Slot slot : slots) {
            if (slot.copy != null) {
                try {
                    clWaitForEvents(1, new cl_event[] {slot.copy});
                } finally {
                    release(slot);
                }
            }
        }
    }
}
