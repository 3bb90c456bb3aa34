package org.optbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.optbench.kernels.Backend;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.kernels.opencl.OpenClBackend;
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
 * seed, for every optimizer of the suite: every step's loss must agree within 1e-4 relative.
 */
class OpenClTrainingTest {

    private static final int STEPS = 20;
    private static CpuBackend cpu;
    private static OpenClBackend cl;

    @BeforeAll
    static void open() {
        cl = OpenClTestDevice.open();
        cpu = new CpuBackend(2);
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
        ModelConfig config = ModelConfig.of(96, 32, 2, 2, 24);
        Transformer model = new Transformer(config, 4, backend);
        model.initialize(3);
        Optimizer opt = new Optimizer(backend, GroupRules.named(optimizer).resolve(model.layout().specs(),
                Map.of("lr", optimizer.equals("sgd") ? 0.1 : 3e-3)), model.parameters(), model.gradients(),
                LrSchedule.paper(4, STEPS));
        SyntheticTokens tokens = new SyntheticTokens(96, 2, 100_000, 5);
        List<StepRecord> records = new ArrayList<>();
        new TrainingLoop(model, opt, new SequentialBatches(tokens, 4, 24), 1.0, 100).run(1, STEPS, records::add);
        return records;
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
