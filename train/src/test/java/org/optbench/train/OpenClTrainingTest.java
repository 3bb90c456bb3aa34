package org.optbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.optbench.kernels.Backend;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.kernels.opencl.OpenClBackend;
import org.optbench.kernels.opencl.OpenClDevices;
import org.optbench.kernels.opencl.OpenClTestDevice;
import org.optbench.model.ModelConfig;
import org.optbench.optim.GroupRules;

/**
 * A whole training run of 20 steps on a tiny model, on OpenCL and on the CPU backend from the same
 * seed, for every optimizer of the suite: every step's loss must agree within 1e-4 relative.
 */
class OpenClTrainingTest {

    private static final int STEPS = 20;
    private static CpuBackend cpu;
    private static OpenClBackend cl;

    @BeforeAll
    static void open() {
        if (OpenClDevices.available()) {
            cl = OpenClTestDevice.open();
        }
        cpu = new CpuBackend(2);
    }

    /** Without a device each test is skipped (or failed, when required) with the reason, and counted. */
    @BeforeEach
    void needsOpenCl() {
        OpenClTestDevice.selector();
    }

    @AfterAll
    static void close() {
        if (cl != null) {
            cl.close();
        }
        if (cpu != null) {
            cpu.close();
        }
    }

    static List<String> optimizers() {
        return GroupRules.names();
    }

    private static List<StepRecord> train(Backend backend, String optimizer) {
        return TinyTrainingRun.train(backend, optimizer, ModelConfig.of(96, 32, 2, 2, 24), 4, STEPS, 4, 3, 2, 5);
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void twentyStepsMatchTheCpu(String optimizer) {
        List<StepRecord> want = train(cpu, optimizer);
        List<StepRecord> got = train(cl, optimizer);
        assertEquals(STEPS, want.size());
        assertEquals(STEPS, got.size());
        double worst = 0;
        for (int i = 0; i < STEPS; i++) {
            double relative = Math.abs(got.get(i).loss() - want.get(i).loss()) / Math.abs(want.get(i).loss());
            worst = Math.max(worst, relative);
        }
        System.out.printf("opencl training %-22s loss %.5f -> %.5f, worst relative step difference %.2e on %s%n",
                optimizer, want.get(0).loss(), want.get(STEPS - 1).loss(), worst, cl.description());
        assertTrue(want.get(STEPS - 1).loss() < want.get(0).loss(), optimizer + " did not learn on the CPU");
        assertTrue(worst <= 1e-4, optimizer + ": OpenCL losses differ from the CPU's by " + worst + " relative");
    }
}
