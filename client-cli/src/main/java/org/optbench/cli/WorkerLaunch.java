package org.optbench.cli;

import java.util.ArrayList;
import java.util.List;
import org.optbench.kernels.opencl.SignalChaining;
import org.optbench.sweep.ExecutorSpec;
import org.optbench.sweep.exec.LocalExecutor;
import org.optbench.sweep.exec.SlurmExecutor;
import org.optbench.sweep.exec.TrialExecutor;

/**
 * How this installation starts a trial: this JVM's java, modules and classpath running
 * {@code optbench worker}, with the JVM's signal chaining library preloaded (see
 * {@link SignalChaining}) so an OpenCL trial cannot lose the JVM's signal handlers.
 */
final class WorkerLaunch {

    private WorkerLaunch() {
    }

    static List<String> workerCommand() {
        List<String> cmd = new ArrayList<>();
        SignalChaining.preloadValue().ifPresent(preload -> {
            cmd.add("env");
            cmd.add("LD_PRELOAD=" + preload);
        });
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("worker");
        return cmd;
    }

    /** The executor a sweep's (resolved) executor spec asks for. */
    static TrialExecutor executorFor(ExecutorSpec spec) {
        return spec.isSlurm() ? new SlurmExecutor(spec, workerCommand()) : new LocalExecutor(workerCommand());
    }
}
