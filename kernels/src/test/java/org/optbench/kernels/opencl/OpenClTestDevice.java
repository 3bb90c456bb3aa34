package org.optbench.kernels.opencl;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opens the OpenCL device the tests run on ({@code OPTBENCH_TEST_OPENCL}, default {@code opencl}).
 * Tests skip when the machine has no OpenCL platform (or no ICD loader), giving the reason, unless
 * {@code OPTBENCH_REQUIRE_OPENCL=1} (set by CI, which installs PoCL) turns the absence into a failure.
 */
public final class OpenClTestDevice {

    private OpenClTestDevice() {
    }

    /** The selector of the test device; skips (or fails, when required) if there is none. */
    public static String selector() {
        if (!OpenClDevices.available()) {
            if ("1".equals(System.getenv("OPTBENCH_REQUIRE_OPENCL"))) {
                fail("OPTBENCH_REQUIRE_OPENCL=1 but " + OpenClDevices.whyNone());
            }
            assumeTrue(false, "skipped: " + OpenClDevices.whyNone());
        }
        return System.getenv().getOrDefault("OPTBENCH_TEST_OPENCL", "opencl");
    }

    /** A backend on the test device. */
    public static OpenClBackend open() {
        OpenClBackend backend = OpenClBackend.open(selector());
        System.out.println("OpenCL tests run on " + backend.description());
        return backend;
    }
}
