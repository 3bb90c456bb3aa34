package org.optbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.optbench.kernels.cpu.CpuBackend;

/**
 * A training step's one read-back gives each micro-batch the loss a lone forward pass gives it,
 * and the gradient norm {@link Transformer#gradientNorm} gives; micro-batches out of order, or a
 * read-back that does not match the step's forwards, are refused.
 */
class StepReadoutTest {

    private static int[] tokens(int n, int vocab, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rng.nextInt(vocab);
        }
        return ids;
    }

    @Test
    void theReadBackHoldsEachMicroBatchsLossAndTheNorm() {
        ModelConfig config = ModelConfig.of(64, 16, 1, 2, 8).withZLoss(1e-2f);
        try (CpuBackend backend = new CpuBackend(2)) {
            Transformer model = new Transformer(config, 2, backend);
            model.initialize(4);
            int n = model.rows();
            int[][] in = {tokens(n, 64, 1), tokens(n, 64, 2), tokens(n, 64, 3)};
            int[][] tg = {tokens(n, 64, 4), tokens(n, 64, 5), tokens(n, 64, 6)};
            LossValue[] alone = new LossValue[3];
            for (int m = 0; m < 3; m++) {
                alone[m] = model.forward(in[m], tg[m]);
            }
            model.zeroGradients();
            for (int m = 0; m < 3; m++) {
                model.forwardMicroBatch(in[m], tg[m], m, 3);
                model.backward(1f / 3);
            }
            StepReadout readout = model.readStep(3);
            assertEquals(3, readout.losses().size());
            for (int m = 0; m < 3; m++) {
                assertEquals(alone[m], readout.losses().get(m), "micro-batch " + m);
                assertTrue(alone[m].zLoss() > 0, "the z-loss term is part of the read-back");
            }
            assertEquals(model.gradientNorm(), readout.gradientNorm(), 0.0);
            assertTrue(readout.gradientNorm() > 0);
        }
    }

    @Test
    void microBatchesOutOfOrderOrAMismatchedReadBackAreRefused() {
        ModelConfig config = ModelConfig.of(64, 16, 1, 2, 8);
        try (CpuBackend backend = new CpuBackend(1)) {
            Transformer model = new Transformer(config, 2, backend);
            model.initialize(4);
            int[] in = tokens(model.rows(), 64, 1);
            IllegalStateException skipped = assertThrows(IllegalStateException.class,
                    () -> model.forwardMicroBatch(in, in, 1, 2));
            assertTrue(skipped.getMessage().contains("in order from 0"), skipped.getMessage());
            model.forwardMicroBatch(in, in, 0, 2);
            assertThrows(IllegalStateException.class, () -> model.forwardMicroBatch(in, in, 1, 3));
            IllegalStateException early = assertThrows(IllegalStateException.class, () -> model.readStep(2));
            assertTrue(early.getMessage().contains("a read-back of 2 micro-batches after micro-batch 0"),
                    early.getMessage());
            assertThrows(IllegalArgumentException.class, () -> model.forwardMicroBatch(in, in, 2, 2));
        }
    }
}
