package org.optbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.model.ModelConfig;
import org.optbench.optim.GroupRules;

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
            return TinyTrainingRun.train(backend, optimizer, ModelConfig.of(2048, 64, 2, 2, 32), 4, STEPS, 2, 11, 3, 7);
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
