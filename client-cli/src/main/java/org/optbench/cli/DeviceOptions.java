package org.optbench.cli;

import org.optbench.kernels.Backend;
import org.optbench.kernels.devices.Backends;
import picocli.CommandLine.Option;

/** The {@code --device} and {@code --threads} options shared by every command that computes. */
final class DeviceOptions {

    @Option(names = "--device", defaultValue = "cpu", description = "where the kernels run: cpu (default), opencl "
            + "(the first OpenCL GPU, else the first OpenCL device) or opencl:P:D (see optbench devices)")
    String device;

    @Option(names = "--threads", description = "CPU threads for the cpu device's kernels (default: available processors, ${DEFAULT-VALUE})")
    int threads = Runtime.getRuntime().availableProcessors();

    Backend backend() {
        return Backends.open(device, threads);
    }

    /** The backend for another selector with the same thread count. */
    Backend backend(String selector) {
        return Backends.open(selector, threads);
    }
}
