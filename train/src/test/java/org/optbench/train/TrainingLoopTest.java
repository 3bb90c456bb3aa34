package org.optbench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.model.ModelConfig;
import org.optbench.model.Transformer;
import java.util.Map;
import org.optbench.optim.GroupRules;
import org.optbench.optim.Optimizer;
import org.optbench.optim.LrSchedule;
import org.optbench.train.data.SequentialBatches;
import org.optbench.train.data.SyntheticTokens;

class TrainingLoopTest {

    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static TrainingLoop loop(double threshold, long seed) {
        ModelConfig config = ModelConfig.of(128, 32, 2, 2, 32);
        Transformer model = new Transformer(config, 8, BACKEND);
        model.initialize(seed);
        SyntheticTokens tokens = new SyntheticTokens(128, 2, 1_000_000, 5);
        Optimizer adam = new Optimizer(BACKEND, GroupRules.named("adamw").resolve(model.layout().specs(),
                Map.of("lr", 1e-2)), model.parameters(), model.gradients(), LrSchedule.paper(10, 100));
        return new TrainingLoop(model, adam, new SequentialBatches(tokens, 8, 32), 1.0, threshold);
    }

    @Test
    void learnsTheSyntheticChain() {
        List<StepRecord> records = new ArrayList<>();
        RunResult result = loop(100, 1).run(1, 100, records::add);
        assertEquals("completed", result.status());
        assertEquals(100, records.size());
        double first = records.get(0).loss();
        double last = records.get(99).loss();
        System.out.printf("synthetic chain: loss %.3f -> %.3f (chain entropy %.3f)%n", first, last, Math.log(2));
        assertTrue(first > Math.log(128) - 0.5, "starts near log V: " + first);
        assertTrue(last < 2.0, "learns most of the chain: " + last);
        assertEquals(8 * 32 * 100L, result.tokens());
        assertEquals(1e-2 * (0.1 + 0.9 / 10), records.get(0).lr(), 1e-9, "step 1 of the paper warmup");
    }

    @Test
    void aLossAboveTheThresholdIsReportedAsDivergedNotThrown() {
        RunResult result = loop(1.0, 1).run(1, 10, r -> { });
        assertEquals("diverged", result.status());
        assertEquals(1, result.divergedAtStep());
    }

    /**
     * With two micro-batches per step, whose losses are read back only after both backwards, a
     * blown-up step still ends the run before the optimizer applies it: the run stops at step 2
     * with step 1's loss as its last finite one.
     */
    @Test
    void aStepOfMicroBatchesThatBlowsUpEndsTheRunBeforeItsUpdate() {
        ModelConfig config = ModelConfig.of(128, 32, 2, 2, 32);
        Transformer model = new Transformer(config, 4, BACKEND);
        model.initialize(1);
        Optimizer sgd = new Optimizer(BACKEND, GroupRules.named("sgd").resolve(model.layout().specs(),
                Map.of("lr", 1e6)), model.parameters(), model.gradients(), LrSchedule.constant());
        TrainingLoop loop = new TrainingLoop(model, sgd, new SequentialBatches(new SyntheticTokens(128, 2, 1_000_000, 5),
                4, 32), 2, 1e9, 100);
        List<StepRecord> records = new ArrayList<>();
        float[][] afterStep1 = new float[1][];
        RunResult result = loop.run(1, 10, r -> {
            records.add(r);
            afterStep1[0] = model.readParameter("lm_head.weight");
        });
        assertEquals("diverged", result.status());
        assertEquals(2, result.divergedAtStep());
        assertEquals(1, records.size());
        assertEquals(records.get(0).loss(), result.lastFiniteLoss(), 0.0);
        assertEquals(4 * 32 * 2L, result.tokens(), "tokens of the one completed step");
        assertArrayEquals(afterStep1[0], model.readParameter("lm_head.weight"),
                "the diverged step 2 left the weights as step 1 made them");
    }

    @Test
    void sameSeedGivesBitIdenticalLosses() {
        List<StepRecord> a = new ArrayList<>();
        List<StepRecord> b = new ArrayList<>();
        loop(100, 7).run(1, 5, a::add);
        loop(100, 7).run(1, 5, b::add);
        for (int i = 0; i < 5; i++) {
            assertEquals(a.get(i).loss(), b.get(i).loss(), 0.0);
        }
    }
}
