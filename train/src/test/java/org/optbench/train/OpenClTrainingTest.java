package org.optbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.optbench.kernels.Backend;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.kernels.opencl.OpenClBackend;
import org.optbench.kernels.opencl.OpenClDevices;
import org.optbench.kernels.opencl.OpenClTestDevice;
import org.optbench.model.ModelConfig;
import org.optbench.model.Transformer;
import org.optbench.optim.GroupRules;
import org.optbench.optim.LrSchedule;
import org.optbench.optim.Optimizer;
import org.optbench.train.data.SequentialBatches;
import org.optbench.train.data.SyntheticTokens;

/**
 * A whole training run of 20 steps on a tiny model, on OpenCL and on the CPU backend from the same
 * seed, for every optimizer of the suite: every step's loss must agree within 1e-4 relative. And a
 * run of steps of two micro-batches must wait for the device once per step.
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

    /**
     * A step of two micro-batches waits for the device once: the losses stay on the device until
     * the step reads them back with the gradient norm, and token ids are written without waiting.
     * The CPU run gives the same losses step by step (the deferred read changes nothing).
     */
    @Test
    void aStepWaitsForTheDeviceOnce() {
        ModelConfig config = ModelConfig.of(96, 32, 2, 2, 24);
        List<StepRecord> want = new ArrayList<>();
        List<StepRecord> got = new ArrayList<>();
        run(cpu, config, want);
        long syncs = run(cl, config, got);
        System.out.printf("opencl: %d host syncs in 6 steps of 2 micro-batches on %s%n", syncs, cl.description());
        assertEquals(6, syncs, "host syncs in 6 steps");
        assertEquals(6, got.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(want.get(i).loss(), got.get(i).loss(), 1e-4 * Math.abs(want.get(i).loss()), "step " + (i + 1));
            assertEquals(want.get(i).gradNorm(), got.get(i).gradNorm(), 1e-3 * want.get(i).gradNorm(), "step " + (i + 1));
        }
    }

    /** Six steps of two micro-batches; returns the backend's host syncs during the steps alone. */
    private static long run(Backend backend, ModelConfig config, List<StepRecord> records) {
        Transformer model = new Transformer(config, 4, backend);
        model.initialize(3);
        Optimizer opt = new Optimizer(backend, GroupRules.named("adamw").resolve(model.layout().specs(),
                Map.of("lr", 3e-3)), model.parameters(), model.gradients(), LrSchedule.paper(2, 6));
        TrainingLoop loop = new TrainingLoop(model, opt, new SequentialBatches(
                new SyntheticTokens(config.vocabSize(), 2, 100_000, 5), 4, config.seqLen()), 2, 1.0, 100);
        long before = backend.hostSyncs();
        loop.run(1, 6, records::add);
        return backend.hostSyncs() - before;
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
