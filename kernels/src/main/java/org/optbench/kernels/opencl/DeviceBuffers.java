package org.optbench.kernels.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clEnqueueFillBuffer;
import static org.jocl.CL.clReleaseMemObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_mem;
import org.optbench.kernels.KernelException;

/**
 * Every device buffer of one backend: zero-filled allocations checked against the device's
 * limits, scratch buffers that grow to the largest size asked for, and release of all of them
 * when the backend closes.
 */
final class DeviceBuffers implements AutoCloseable {

    private final cl_context context;
    private final cl_command_queue queue;
    private final OpenClDevice device;
    private final List<cl_mem> owned = new ArrayList<>();
    private final Map<String, cl_mem> scratch = new HashMap<>();
    private final Map<String, Long> scratchBytes = new HashMap<>();

    DeviceBuffers(cl_context context, cl_command_queue queue, OpenClDevice device) {
        this.context = context;
        this.queue = queue;
        this.device = device;
    }

    /** A new zero-filled buffer of {@code bytes} bytes (at least 4), released on close. */
    cl_mem allocate(long bytes, String what) {
        long size = Math.max(4, bytes);
        if (size > device.maxAllocationBytes() || bytes / 4 > Integer.MAX_VALUE - 16) {
            throw new KernelException("cannot allocate " + what + " of " + bytes + " bytes on " + device.describe()
                    + ": one buffer may hold at most " + Math.min(device.maxAllocationBytes(), 4L * (Integer.MAX_VALUE - 16))
                    + " bytes; use a smaller batch (--micro-batch) or model");
        }
        cl_mem mem;
        try {
            mem = clCreateBuffer(context, CL_MEM_READ_WRITE, size, null, null);
            clEnqueueFillBuffer(queue, mem, Pointer.to(new int[] {0}), 4, 0, size, 0, null, null);
        } catch (CLException e) {
            throw new KernelException("cannot allocate " + what + " of " + bytes + " bytes on " + device.describe()
                    + " (" + e.getMessage() + "): the device has " + device.globalMemoryBytes() / (1 << 20)
                    + " MiB in all; use a smaller batch (--micro-batch) or model", e);
        }
        owned.add(mem);
        return mem;
    }

    /**
     * The scratch buffer called {@code name}, at least {@code bytes} long. Launches already
     * enqueued keep a replaced buffer alive until they finish (OpenCL defers the release).
     */
    cl_mem scratch(String name, long bytes) {
        Long have = scratchBytes.get(name);
        if (have != null && have >= bytes) {
            return scratch.get(name);
        }
        cl_mem old = scratch.remove(name);
        if (old != null) {
            owned.remove(old);
            clReleaseMemObject(old);
        }
        cl_mem mem = allocate(bytes, "scratch " + name);
        scratch.put(name, mem);
        scratchBytes.put(name, bytes);
        return mem;
    }

    @Override
    public void close() {
        owned.forEach(m -> clReleaseMemObject(m));
        owned.clear();
        scratch.clear();
        scratchBytes.clear();
    }
}
