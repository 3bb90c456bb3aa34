package org.optbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.optbench.kernels.cpu.CpuBackend;

/** Finite-difference check of the whole model's backward pass, every parameter tensor. */
class TransformerGradientTest {

    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static int[][] batch(ModelConfig config, int b, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = b * config.seqLen();
        int[] inputs = new int[n];
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
            inputs[i] = rng.nextInt(config.vocabSize());
            targets[i] = rng.nextInt(config.vocabSize());
        }
        return new int[][] {inputs, targets};
    }

    private static void checkEveryParameter(ModelConfig config) {
        int b = 2;
        Transformer model = new Transformer(config, b, BACKEND);
        model.initialize(3);
        // Scale LayerNorm weights away from 1 so their gradients are not all alike.
        SplittableRandom rng = new SplittableRandom(9);
        for (ParameterSpec spec : model.layout().specs()) {
            if (spec.rank() == 1) {
                float[] w = model.readParameter(spec.name());
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) (0.5 + rng.nextDouble());
                }
                model.writeParameter(spec.name(), w);
            }
        }
        int[][] data = batch(config, b, 5);
        model.zeroGradients();
        model.forward(data[0], data[1]);
        model.backward();
        double worst = 0;
        for (ParameterSpec spec : model.layout().specs()) {
            float[] analytic = model.readGradient(spec.name());
            float[] values = model.readParameter(spec.name());
            float h = 1e-2f;
            double maxDiff = 0;
            double maxRef = 1e-12;
            for (int i = 0; i < values.length; i++) {
                float saved = values[i];
                values[i] = saved + h;
                model.writeParameter(spec.name(), values);
                double plus = model.forward(data[0], data[1]).loss();
                values[i] = saved - h;
                model.writeParameter(spec.name(), values);
                double minus = model.forward(data[0], data[1]).loss();
                values[i] = saved;
                model.writeParameter(spec.name(), values);
                double numeric = (plus - minus) / (2 * h);
                maxDiff = Math.max(maxDiff, Math.abs(numeric - analytic[i]));
                maxRef = Math.max(maxRef, Math.abs(numeric));
            }
            double rel = maxDiff / maxRef;
            worst = Math.max(worst, rel);
            System.out.printf("model gradcheck qk_norm=%-5s %-28s max|grad|=%.3e relative error=%.2e%n",
                    config.qkNorm(), spec.name(), maxRef, rel);
            assertTrue(rel < 2e-2, spec.name() + " relative error " + rel);
        }
        System.out.printf("model gradcheck worst relative error %.2e%n", worst);
    }

    @Test
    void everyParameterGradientMatchesFiniteDifferences() {
        checkEveryParameter(new ModelConfig(11, 8, 2, 2, 5, 32, 1e-2f, true, 10000f));
    }

    @Test
    void everyParameterGradientMatchesFiniteDifferencesWithoutQkNorm() {
        checkEveryParameter(new ModelConfig(11, 8, 2, 2, 5, 32, 1e-2f, false, 10000f));
    }

    @Test
    void lossOfAnUntrainedModelIsNearLogVocabAndZLossIsItsOwnTerm() {
        ModelConfig config = ModelConfig.of(64, 16, 2, 2, 8);
        Transformer model = new Transformer(config, 3, BACKEND);
        model.initialize(1);
        int[][] data = batch(config, 3, 2);
        LossValue loss = model.forward(data[0], data[1]);
        // Logits of unit variance (LM head std 1/sqrt(d) on LayerNorm output) add about 0.5 nats.
        assertTrue(loss.ce() > Math.log(64) && loss.ce() < Math.log(64) + 1, "untrained loss " + loss.ce());
        assertEquals(loss.ce() + loss.zLoss(), loss.loss(), 1e-12);
        Transformer noZ = new Transformer(config.withZLoss(0f), 3, BACKEND);
        noZ.initialize(1);
        LossValue plain = noZ.forward(data[0], data[1]);
        assertEquals(0.0, plain.zLoss());
        assertEquals(loss.ce(), plain.ce(), 1e-6);
        assertTrue(loss.zLoss() > 0);
    }
}
