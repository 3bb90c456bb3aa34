package org.optbench.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model presets: the paper's four sizes (trained on GPUs), the three benchmark shapes used to
 * compare throughput with other systems, and CPU presets small enough for a laptop study. CPU
 * presets use an 8192-token vocabulary; a tokenizer of another size replaces it when data is
 * attached.
 */
public final class ModelPresets {

    private static final int T5_VOCAB = 32128;
    private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

    static {
        add("150m", ModelConfig.of(T5_VOCAB, 1024, 12, 16, 512), 256, 25_000, 2_500, "paper, 150m");
        add("300m", ModelConfig.of(T5_VOCAB, 1024, 24, 16, 512), 256, 50_000, 5_000, "paper, 300m");
        add("600m", ModelConfig.of(T5_VOCAB, 1408, 24, 22, 512), 256, 100_000, 10_000, "paper, 600m");
        add("1.2b", ModelConfig.of(T5_VOCAB, 2048, 24, 32, 512), 256, 200_000, 20_000, "paper, 1.2b");
        add("P0", ModelConfig.of(8192, 128, 4, 4, 128), 16, 0, 0, "benchmark shape P0");
        add("P1", ModelConfig.of(8192, 256, 4, 4, 256), 16, 0, 0, "benchmark shape P1");
        add("P2", ModelConfig.of(T5_VOCAB, 512, 8, 8, 512), 8, 0, 0, "benchmark shape P2");
        add("S0", ModelConfig.of(512, 64, 2, 2, 64), 16, 0, 0, "study shape S0: the small models studies run");
        add("nano", ModelConfig.of(8192, 64, 2, 2, 64), 16, 300, 30, "CPU: seconds per run");
        add("study", ModelConfig.of(512, 64, 2, 2, 64), 16, 1932, 193,
                "CPU study regime (data: sotu-512): the S0 shape, 60% of parameters outside the embeddings, 20 tokens each");
        add("micro", ModelConfig.of(8192, 128, 4, 4, 128), 16, 1000, 100, "CPU: minutes per run");
        add("mini", ModelConfig.of(8192, 256, 6, 4, 256), 16, 2000, 200, "CPU: tens of minutes per run");
    }

    private ModelPresets() {
    }

    private static void add(String name, ModelConfig config, int batch, int steps, int warmup, String description) {
        PRESETS.put(name, new Preset(name, config, batch, steps, warmup, description));
    }

    /** The preset of that name; the error lists the valid names. */
    public static Preset get(String name) {
        Preset preset = PRESETS.get(name);
        if (preset == null) {
            throw new ModelConfigException("unknown model preset '" + name + "'; choose one of " + names());
        }
        return preset;
    }

    public static List<String> names() {
        return List.copyOf(PRESETS.keySet());
    }

    public static List<Preset> all() {
        return List.copyOf(PRESETS.values());
    }
}
