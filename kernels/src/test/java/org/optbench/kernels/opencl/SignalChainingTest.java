package org.optbench.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.optbench.kernels.FloatTensor;

/**
 * After an OpenCL program is built and run, the JVM must still own SIGSEGV: either its own handler
 * is installed, or the driver's handler is chained behind it by {@code libjsig.so} (which the
 * build, the launcher and worker processes preload). Read from the JVM's own {@code VM.info}.
 */
class SignalChainingTest {

    @Test
    void theJvmKeepsItsSegvHandlerAfterOpenClCompiles() throws Exception {
        try (OpenClBackend cl = OpenClTestDevice.open()) {
            FloatTensor a = cl.allocate(64 * 64);
            FloatTensor c = cl.allocate(64 * 64);
            cl.matmul(c, a, false, a, true, 64, 64, 64, false);
            cl.synchronize();
        }
        List<String> block = segvBlock(vmInfo());
        System.out.println("SIGSEGV after OpenCL: " + String.join(" | ", block));
        assertTrue(block.get(0).contains("javaSignalHandler") || block.stream().anyMatch(l -> l.startsWith("chained to:")),
                "an OpenCL driver replaced the JVM's SIGSEGV handler without chaining (preload "
                        + SignalChaining.library().orElse(null) + "): " + block);
    }

    private static String vmInfo() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmInfo",
                new Object[] {null}, new String[] {String[].class.getName()});
    }

    /** The SIGSEGV line of the "Signal Handlers" section and the lines that belong to it. */
    private static List<String> segvBlock(String info) {
        List<String> lines = info.lines().map(String::trim).toList();
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("SIGSEGV:")) {
                at = i;
                break;
            }
        }
        assertTrue(at >= 0, "VM.info has no SIGSEGV handler line");
        int end = at + 1;
        while (end < lines.size() && (lines.get(end).startsWith("***") || lines.get(end).startsWith("chained to:"))) {
            end++;
        }
        return lines.subList(at, end);
    }
}
