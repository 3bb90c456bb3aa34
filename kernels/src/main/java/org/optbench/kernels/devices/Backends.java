package org.optbench.kernels.devices;

import org.optbench.kernels.Backend;
import org.optbench.kernels.KernelException;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.kernels.opencl.OpenClBackend;

/**
 * Opens the backend a device selector names: {@code cpu} (the Java backend, the default),
 * {@code opencl} (the first OpenCL GPU, or the first OpenCL device when there is no GPU) or
 * {@code opencl:P:D} (device D of platform P, as {@code optbench devices} numbers them). An absent
 * device is an error, never a silent fallback to another.
 */
public final class Backends {

    private Backends() {
    }

    /** The backend for {@code selector}; {@code threads} applies to the CPU backend. */
    public static Backend open(String selector, int threads) {
        if (selector.equals("cpu")) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            return new CpuBackend(threads);
        }
        if (selector.equals("opencl") || selector.startsWith("opencl:")) {
            return OpenClBackend.open(selector);
        }
        throw new KernelException("device '" + selector + "' is unknown: use cpu, opencl or opencl:P:D "
                + "(optbench devices lists them)");
    }
}
