package org.optbench.kernels.opencl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether the OpenCL ICD loader can be opened under the name JOCL asks the dynamic linker for,
 * {@code libOpenCL.so}, checked on Linux before JOCL is touched: JOCL prints its failure to the
 * process's native stdout and leaves its classes unusable, so optbench looks first (in the
 * linker's cache, {@code ldconfig -p}, whose files must exist, and the {@code LD_LIBRARY_PATH}
 * directories) and, when the name is missing, says why, naming a {@code libOpenCL.so.1} that is
 * there without its unversioned link (Debian's {@code ocl-icd-opencl-dev} adds it). Elsewhere, or
 * without {@code ldconfig}, it does not judge and JOCL tries.
 */
final class OpenClLoader {

    static final String NAME = "libOpenCL.so";
    private static volatile Optional<String> problem;

    private OpenClLoader() {
    }

    /** Why the loader cannot be opened, or empty when it can (or when this cannot be told). */
    static Optional<String> problem() {
        Optional<String> p = problem;
        if (p == null) {
            p = find();
            problem = p;
        }
        return p;
    }

    private static Optional<String> find() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.empty();
        }
        return judge(System.getenv("LD_LIBRARY_PATH"), ldconfigCache());
    }

    /** The verdict for a library path ({@code LD_LIBRARY_PATH}, or null) and the lines of {@code ldconfig -p} (null: unknown). */
    static Optional<String> judge(String path, List<String> cache) {
        List<String> seen = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty() && Files.exists(Path.of(dir, NAME))) {
                    return Optional.empty();
                }
                if (!dir.isEmpty() && Files.exists(Path.of(dir, NAME + ".1"))) {
                    seen.add(Path.of(dir, NAME + ".1").toString());
                }
            }
        }
        if (cache == null) {
            return Optional.empty();
        }
        for (String line : cache) {
            String entry = line.strip();
            if (!entry.contains("=> ")) {
                continue;
            }
            String file = entry.substring(entry.indexOf("=> ") + 3).strip();
            if (entry.startsWith(NAME + " ") && Files.exists(Path.of(file))) {
                return Optional.empty();
            }
            if (entry.startsWith(NAME + ".1 ") && Files.exists(Path.of(file))) {
                seen.add(file);
            }
        }
        return Optional.of("the OpenCL ICD loader " + NAME + " is not installed"
                + (seen.isEmpty() ? "" : " (only " + String.join(", ", seen) + ", without the unversioned name JOCL opens)")
                + "; " + OpenClDevices.INSTALL_HINT);
    }

    /** The lines of {@code ldconfig -p}, or null when it cannot be run. */
    private static List<String> ldconfigCache() {
        for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
            if (!Files.isExecutable(Path.of(ldconfig))) {
                continue;
            }
            try {
                Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return new String(out, StandardCharsets.UTF_8).lines().toList();
                }
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
