package org.optbench.kernels.opencl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JVM's signal chaining library ({@code libjsig.so}) and whether this process runs with it.
 * OpenCL compilers built on LLVM (PoCL, Mesa, several vendor drivers) install their own
 * SIGSEGV/SIGBUS handlers with {@code SA_RESETHAND} when a program is compiled. The JVM raises
 * SIGSEGV itself on purpose (safepoint polls, implicit null checks), so two Java threads
 * faulting at once can find the default action in place and the process dies with "Segmentation
 * fault" and no crash log. Preloading {@code libjsig.so} keeps the JVM's handlers installed and
 * chains the driver's behind them; the launcher and every worker process start that way.
 */
public final class SignalChaining {

    private static final String LIBRARY = "libjsig.so";
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private SignalChaining() {
    }

    /** {@code libjsig.so} of the running JVM, where the platform has one. */
    public static Optional<Path> library() {
        Path lib = Path.of(System.getProperty("java.home"), "lib", LIBRARY);
        return Files.isRegularFile(lib) ? Optional.of(lib) : Optional.empty();
    }

    /** Whether this process was started with the chaining library preloaded. */
    public static boolean active() {
        String preload = System.getenv("LD_PRELOAD");
        return preload != null && preload.contains(LIBRARY);
    }

    /**
     * The {@code LD_PRELOAD} value that puts the chaining library ahead of what this process
     * preloads already; empty where the JVM has no such library.
     */
    public static Optional<String> preloadValue() {
        return library().map(lib -> {
            String current = System.getenv("LD_PRELOAD");
            if (current == null || current.isBlank()) {
                return lib.toString();
            }
            return active() ? current : lib + ":" + current;
        });
    }

    /** Warns once on stderr when OpenCL is opened in a JVM that could chain signals but does not. */
    static void warnIfInactive() {
        if (!active() && library().isPresent() && WARNED.compareAndSet(false, true)) {
            System.err.println("optbench: warning: OpenCL drivers built on LLVM replace the JVM's signal handlers and can "
                    + "crash it; start java with LD_PRELOAD=" + library().get() + " (the optbench launcher does)");
        }
    }
}
