package org.optbench.cli;

import org.optbench.kernels.cpu.CpuBackend;
import picocli.CommandLine.Option;

/** The {@code --threads} option shared by every command that computes. */
final class ThreadsOption {

    @Option(names = "--threads", description = "CPU threads for the kernels (default: available processors, ${DEFAULT-VALUE})")
    int threads = Runtime.getRuntime().availableProcessors();

    CpuBackend backend() {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        return new CpuBackend(threads);
    }
}
