package org.optbench.cli;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.optbench.kernels.opencl.SignalChaining;
import org.optbench.sweep.exec.MemorySize;
import org.optbench.sweep.exec.WorkerProgram;

/**
 * How this installation starts a trial: this JVM's java, modules and classpath running
 * {@link WorkerMain} (what {@code optbench worker} runs), with the JVM's signal chaining library preloaded (see
 * {@link SignalChaining}) so an OpenCL trial cannot lose the JVM's signal handlers. A local
 * worker's heap is {@code OPTBENCH_WORKER_HEAP} (e.g. {@code 8g}) when set, else the JVM's own
 * default (a quarter of the machine's memory), made explicit so that validation and the worker agree.
 */
final class WorkerLaunch {

    /** The JVM's default maximum heap: this share of physical memory. */
    private static final double DEFAULT_HEAP_SHARE = 0.25;

    private WorkerLaunch() {
    }

    static WorkerProgram program() {
        List<String> launcher = new ArrayList<>();
        SignalChaining.preloadValue().ifPresent(preload -> {
            launcher.add("env");
            launcher.add("LD_PRELOAD=" + preload);
        });
        launcher.add(ProcessHandle.current().info().command().orElse("java"));
        List<String> arguments = List.of("--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                WorkerMain.class.getName(), "worker");
        return new WorkerProgram(launcher, arguments, heapBytes(System.getenv("OPTBENCH_WORKER_HEAP")));
    }

    /** {@code setting} (a size such as 8g or 512m) in bytes, or the JVM's default heap when it is null. */
    static long heapBytes(String setting) {
        if (setting == null || setting.isBlank()) {
            long physical = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
            return (long) (DEFAULT_HEAP_SHARE * physical);
        }
        long bytes = MemorySize.bytes(setting, 1);
        if (bytes > 0) {
            return bytes;
        }
        throw new IllegalArgumentException("OPTBENCH_WORKER_HEAP '" + setting + "' must be a size such as 8g or 512m");
    }
}
