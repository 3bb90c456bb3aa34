package org.optbench.kernels.opencl;

import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clReleaseKernel;
import static org.jocl.CL.clReleaseProgram;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;
import org.optbench.kernels.KernelException;

/**
 * OpenCL C sources built once for one device (the backend's own, or an element-wise rule's), and
 * the kernel objects made from them, each created on first use and kept. A build failure is an error that carries the
 * compiler's log.
 */
final class ClProgram implements AutoCloseable {

    /** The .cl resources in build order; common.cl defines what the others use. */
    static final List<String> SOURCES = List.of("common.cl", "vector.cl", "matmul.cl", "matmul_vector.cl", "layernorm.cl", "rope.cl",
            "attention.cl", "gelu.cl", "embedding.cl", "crossentropy.cl", "optimizer.cl");

    private final cl_program program;
    private final Map<String, cl_kernel> kernels = new HashMap<>();

    ClProgram(cl_context context, cl_device_id device, String deviceLabel, String options) {
        this(context, device, deviceLabel, options, SOURCES.stream().map(ClProgram::source).toArray(String[]::new));
    }

    /** A program of the given source texts, built the same way. */
    ClProgram(cl_context context, cl_device_id device, String deviceLabel, String options, String... sources) {
        program = clCreateProgramWithSource(context, sources.length, sources, null, null);
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device}, options, null, null);
        } catch (CLException e) {
            String log = buildLog(device);
            clReleaseProgram(program);
            throw new KernelException("the OpenCL kernels failed to build for " + deviceLabel + " ("
                    + CL.stringFor_errorCode(e.getStatus()) + ", options " + options + "); compiler log:\n" + log, e);
        }
    }

    private String buildLog(cl_device_id device) {
        long[] size = new long[1];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
        return new String(bytes, StandardCharsets.UTF_8).trim();
    }

    static String source(String name) {
        try (InputStream in = ClProgram.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new KernelException("kernel source " + name + " is missing from the optbench jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KernelException("cannot read kernel source " + name, e);
        }
    }

    /** The kernel named {@code name}, created on first use. */
    cl_kernel kernel(String name) {
        return kernels.computeIfAbsent(name, n -> clCreateKernel(program, n, null));
    }

    @Override
    public void close() {
        kernels.values().forEach(k -> clReleaseKernel(k));
        kernels.clear();
        clReleaseProgram(program);
    }
}
