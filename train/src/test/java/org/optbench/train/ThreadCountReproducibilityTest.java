package org.optbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.model.ModelConfig;
import org.optbench.model.Transformer;
import org.optbench.optim.GroupRules;
import org.optbench.optim.LrSchedule;
import org.optbench.optim.Optimizer;
import org.optbench.train.data.SequentialBatches;
import org.optbench.train.data.SyntheticTokens;

/**
 * A training run does not depend on the number of CPU threads: every optimizer of the suite, on a
 * model whose tensors span several kernel tasks, gives bit-identical losses and gradient norms on
 * 1, 2 and 3 threads, so a sweep's results do not change with how many trials run at once.
 */
class ThreadCountReproducibilityTest {

    private static final int STEPS = 8;

    static List<String> optimizers() {
        return GroupRules.names();
    }

    private static List<StepRecord> train(int threads, String optimizer) {
        try (CpuBackend backend = new CpuBackend(threads)) {
            // wte and lm_head (2048 x 64) span four optimizer tasks and two vector-kernel tasks
            ModelConfig config = ModelConfig.of(2048, 64, 2, 2, 32);
            Transformer model = new Transformer(config, 4, backend);
            model.initialize(11);
            Optimizer opt = new Optimizer(backend, GroupRules.named(optimizer).resolve(model.layout().specs(),
                    Map.of("lr", optimizer.equals("sgd") ? 0.1 : 3e-3)), model.parameters(), model.gradients(),
                    LrSchedule.paper(2, STEPS));
            SyntheticTokens tokens = new SyntheticTokens(2048, 3, 100_000, 7);
            List<StepRecord> records = new ArrayList<>();
            new TrainingLoop(model, opt, new SequentialBatches(tokens, 4, 32), 1.0, 100).run(1, STEPS, records::add);
            return records;
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void oneTwoAndThreeThreadsGiveTheSameRun(String optimizer) {
        List<StepRecord> one = train(1, optimizer);
        for (int threads : new int[] {2, 3}) {
            List<StepRecord> other = train(threads, optimizer);
            assertEquals(STEPS, other.size());
            for (int i = 0; i < STEPS; i++) {
                assertEquals(one.get(i).loss(), other.get(i).loss(), 0.0,
                        optimizer + ": step " + (i + 1) + " loss on " + threads + " threads vs 1");
                assertEquals(one.get(i).gradNorm(), other.get(i).gradNorm(), 0.0,
                        optimizer + ": step " + (i + 1) + " gradient norm on " + threads + " threads vs 1");
            }
        }
    }
}
