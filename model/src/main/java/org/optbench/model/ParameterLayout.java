package org.optbench.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order, names and shapes of every parameter of a {@link ModelConfig} in one flat buffer
 * (llm.c style), using the interchange names of the safetensors format. Gradients use the same
 * layout. Counts split the embedding matrices ({@code wte} and the untied {@code lm_head}) from the
 * rest, the non-embedding count that names the paper's model sizes.
 */
public final class ParameterLayout {

    private final List<ParameterSpec> specs;
    private final Map<String, ParameterSpec> byName;
    private final long total;

    public ParameterLayout(ModelConfig config) {
        List<ParameterSpec> list = new ArrayList<>();
        long offset = 0;
        int v = config.vocabSize();
        int c = config.dModel();
        int f = config.mlpHidden();
        offset = add(list, "wte.weight", offset, v, c);
        for (int i = 0; i < config.nLayers(); i++) {
            String p = "blocks." + i + ".";
            offset = add(list, p + "ln1.weight", offset, c);
            offset = add(list, p + "attn.qkv.weight", offset, 3 * c, c);
            if (config.qkNorm()) {
                offset = add(list, p + "attn.q_norm.weight", offset, c);
                offset = add(list, p + "attn.k_norm.weight", offset, c);
            }
            offset = add(list, p + "attn.proj.weight", offset, c, c);
            offset = add(list, p + "ln2.weight", offset, c);
            offset = add(list, p + "mlp.fc.weight", offset, f, c);
            offset = add(list, p + "mlp.proj.weight", offset, c, f);
        }
        offset = add(list, "ln_f.weight", offset, c);
        offset = add(list, "lm_head.weight", offset, v, c);
        this.specs = Collections.unmodifiableList(list);
        Map<String, ParameterSpec> map = new LinkedHashMap<>();
        for (ParameterSpec spec : list) {
            map.put(spec.name(), spec);
        }
        this.byName = Collections.unmodifiableMap(map);
        this.total = offset;
    }

    private static long add(List<ParameterSpec> list, String name, long offset, int... shape) {
        ParameterSpec spec = new ParameterSpec(name, shape, offset);
        list.add(spec);
        return offset + spec.count();
    }

    public List<ParameterSpec> specs() {
        return specs;
    }

    /** The parameter of that name, or an error naming it. */
    public ParameterSpec get(String name) {
        ParameterSpec spec = byName.get(name);
        if (spec == null) {
            throw new ModelConfigException("this model has no parameter named '" + name + "'");
        }
        return spec;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    public long totalCount() {
        return total;
    }

    /** Elements of {@code wte.weight} and {@code lm_head.weight}. */
    public long embeddingCount() {
        return get("wte.weight").count() + get("lm_head.weight").count();
    }

    public long nonEmbeddingCount() {
        return total - embeddingCount();
    }

    /** Whether {@code name} is a LayerNorm gain: a block's ln1, ln2, q_norm or k_norm, or ln_f. */
    public static boolean isLayerNormGain(String name) {
        return name.equals("ln_f.weight") || name.endsWith(".ln1.weight") || name.endsWith(".ln2.weight")
                || name.endsWith(".q_norm.weight") || name.endsWith(".k_norm.weight");
    }
}
