package org.optbench.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.kernels.opencl.OpenClDevice;
import org.optbench.kernels.opencl.OpenClDevices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code optbench devices}: the devices {@code --device} can name. The Java CPU backend is always
 * there; OpenCL devices are listed per platform with type, global memory, compute units, the
 * largest work-group and the OpenCL version, or a line on what to install when there are none.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the devices --device can name: cpu and every OpenCL platform's devices.")
final class DevicesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String format = "%-13s %-6s %9s %6s %6s  %s%n";
        out.printf(format, "device", "type", "memory", "units", "group", "name (platform, version)");
        int processors = Runtime.getRuntime().availableProcessors();
        out.printf(format, "cpu", "CPU", (Runtime.getRuntime().maxMemory() >> 20) + " MiB", processors, "-",
                cpuName());
        List<OpenClDevice> devices = OpenClDevices.list();
        for (OpenClDevice d : devices) {
            out.printf(format, d.selector(), d.type(), (d.globalMemoryBytes() >> 20) + " MiB", d.computeUnits(),
                    d.maxWorkGroupSize(), d.deviceName() + " (" + d.platformName() + ", " + d.version() + ")");
        }
        if (devices.isEmpty()) {
            out.println("no OpenCL device: " + OpenClDevices.whyNone());
        } else {
            out.println("--device opencl picks " + OpenClDevices.select("opencl").selector()
                    + " (the first GPU, else the first device)");
        }
        return 0;
    }

    private static String cpuName() {
        try (CpuBackend cpu = new CpuBackend(1)) {
            return cpu.description().replace(", 1 threads", "") + ", memory is the JVM heap limit";
        }
    }
}
