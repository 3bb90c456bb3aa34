package org.optbench.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ICD loader check that runs before JOCL: found, found only as .so.1 (named), stale cache, or unknown. */
class OpenClLoaderTest {

    @TempDir
    Path dir;

    @Test
    void theLoaderIsJudgedFromTheLinkersCacheAndLibraryPath() throws Exception {
        Path versioned = Files.createFile(dir.resolve("libOpenCL.so.1"));
        String onlyVersioned = "\tlibOpenCL.so.1 (libc6,x86-64) => " + versioned;
        Optional<String> missing = OpenClLoader.judge(null, List.of("2 libs found in cache", onlyVersioned));
        assertTrue(missing.isPresent());
        assertTrue(missing.get().startsWith("the OpenCL ICD loader libOpenCL.so is not installed (only " + versioned
                + ", without the unversioned name JOCL opens); install"), missing.get());
        Path unversioned = Files.createSymbolicLink(dir.resolve("libOpenCL.so"), versioned);
        assertEquals(Optional.empty(), OpenClLoader.judge(null, List.of(onlyVersioned,
                "\tlibOpenCL.so (libc6,x86-64) => " + unversioned)));
        assertTrue(OpenClLoader.judge(null, List.of("\tlibOpenCL.so (libc6,x86-64) => " + dir.resolve("gone/libOpenCL.so")))
                .isPresent(), "a stale cache entry whose file is gone does not count");
        assertEquals(Optional.empty(), OpenClLoader.judge("/nowhere:" + dir, List.of()), "LD_LIBRARY_PATH is searched");
        assertEquals(Optional.empty(), OpenClLoader.judge(null, null), "without ldconfig, JOCL is left to try");
    }
}
