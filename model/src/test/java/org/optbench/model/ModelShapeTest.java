package org.optbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelShapeTest {

    private static long expectedTotal(ModelConfig c) {
        long d = c.dModel();
        long perBlock = 3 * d * d + d * d + 2 * d * c.mlpHidden() + 2 * d + (c.qkNorm() ? 2 * d : 0);
        return 2L * c.vocabSize() * d + c.nLayers() * perBlock + d;
    }

    @Test
    void trainingFlopsPerTokenCountSixPerMatmulWeightAndCausalAttention() {
        // vocab 8, d 4, 1 layer, MLP 16, T 2: matmul weights 4*16 + 2*4*16 + 8*4 = 224 -> 6 * 224 = 1344,
        // attention 6 * 1 * 4 * 2 = 48
        assertEquals(1392.0, ModelConfig.of(8, 4, 1, 2, 2).trainingFlopsPerToken());
    }

    @Test
    void headsMustDivideTheWidthAndTheMessageNamesBoth() {
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> ModelConfig.of(100, 64, 2, 5, 16));
        assertTrue(e.getMessage().contains("n_heads (5)") && e.getMessage().contains("d_model (64)"), e.getMessage());
        assertThrows(ModelConfigException.class, () -> ModelConfig.of(100, 0, 2, 2, 16));
        assertThrows(ModelConfigException.class, () -> ModelConfig.of(100, 6, 2, 2, 16), "odd head size");
        assertThrows(ModelConfigException.class, () -> ModelConfig.of(100, 8, 1, 2, 16).withZLoss(Float.NaN));
    }

    @Test
    void everyPresetIsConstructibleAndCounted() {
        for (Preset p : ModelPresets.all()) {
            ParameterLayout layout = new ParameterLayout(p.config());
            assertEquals(expectedTotal(p.config()), layout.totalCount(), p.name());
            assertEquals(2L * p.config().vocabSize() * p.config().dModel(), layout.embeddingCount());
            System.out.printf("preset %-5s total %,14d  embedding %,12d  non-embedding %,14d%n", p.name(),
                    layout.totalCount(), layout.embeddingCount(), layout.nonEmbeddingCount());
        }
        long nonEmb150 = new ParameterLayout(ModelPresets.get("150m").config()).nonEmbeddingCount();
        assertTrue(nonEmb150 > 145_000_000L && nonEmb150 < 155_000_000L, "150m has " + nonEmb150);
        long nonEmb12b = new ParameterLayout(ModelPresets.get("1.2b").config()).nonEmbeddingCount();
        assertTrue(nonEmb12b > 1_150_000_000L && nonEmb12b < 1_260_000_000L, "1.2b has " + nonEmb12b);
        assertThrows(ModelConfigException.class, () -> ModelPresets.get("huge"));
    }

    @Test
    void layoutUsesTheInterchangeNamesInOrderWithTorchLinearShapes() {
        ParameterLayout layout = new ParameterLayout(ModelConfig.of(10, 8, 1, 2, 4));
        String[] names = layout.specs().stream().map(ParameterSpec::name).toArray(String[]::new);
        assertArrayEquals(new String[] {"wte.weight", "blocks.0.ln1.weight", "blocks.0.attn.qkv.weight",
                "blocks.0.attn.q_norm.weight", "blocks.0.attn.k_norm.weight", "blocks.0.attn.proj.weight",
                "blocks.0.ln2.weight", "blocks.0.mlp.fc.weight", "blocks.0.mlp.proj.weight", "ln_f.weight",
                "lm_head.weight"}, names);
        assertArrayEquals(new int[] {24, 8}, layout.get("blocks.0.attn.qkv.weight").shape());
        assertArrayEquals(new int[] {32, 8}, layout.get("blocks.0.mlp.fc.weight").shape());
        assertArrayEquals(new int[] {8, 32}, layout.get("blocks.0.mlp.proj.weight").shape());
        long offset = 0;
        for (ParameterSpec spec : layout.specs()) {
            assertEquals(offset, spec.offset(), spec.name());
            offset += spec.count();
        }
    }

    @Test
    void initialisationIsSeededAndScaledPerTensor() {
        ParameterLayout layout = new ParameterLayout(ModelConfig.of(512, 256, 4, 4, 16));
        ParameterSpec qkv = layout.get("blocks.0.attn.qkv.weight");
        float[] a = new float[(int) qkv.count()];
        float[] b = new float[a.length];
        float[] c = new float[a.length];
        Initializer.initialize(qkv, a, 42);
        Initializer.initialize(qkv, b, 42);
        Initializer.initialize(qkv, c, 43);
        assertArrayEquals(a, b);
        assertNotEquals(a[0], c[0]);
        assertEquals(1 / Math.sqrt(256), std(a), 0.05 / Math.sqrt(256));
        ParameterSpec proj = layout.get("blocks.3.mlp.proj.weight");
        float[] p = new float[(int) proj.count()];
        Initializer.initialize(proj, p, 42);
        double want = 1 / Math.sqrt(2.0 * 1024 * 4);
        assertEquals(want * 0.9866, std(p), 0.05 * want, "truncation at 3 std shrinks the std by 1.3%");
        for (float x : p) {
            assertTrue(Math.abs(x) <= 3 * want + 1e-9);
        }
        float[] ln = new float[256];
        Initializer.initialize(layout.get("ln_f.weight"), ln, 42);
        for (float x : ln) {
            assertEquals(1f, x);
        }
    }

    private static double std(float[] x) {
        double s = 0;
        double s2 = 0;
        for (float v : x) {
            s += v;
            s2 += (double) v * v;
        }
        double m = s / x.length;
        return Math.sqrt(s2 / x.length - m * m);
    }
}
