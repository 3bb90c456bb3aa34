package org.optbench.model.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optbench.model.ModelConfig;
import org.optbench.model.ParameterLayout;
import org.optbench.model.ParameterSpec;
import org.optbench.model.Transformer;

/**
 * Moves a {@link Transformer}'s parameters (or gradients) to and from safetensors files under the
 * interchange names, with the model shape in {@code __metadata__} ({@code vocab_size},
 * {@code d_model}, {@code n_layers}, {@code n_heads}, {@code seq_len}, plus {@code mlp_hidden} and
 * {@code qk_norm}). Loading demands exactly the model's tensors: a missing, extra or mis-shaped
 * tensor is an error naming it and both shapes.
 */
public final class ModelWeights {

    private ModelWeights() {
    }

    /** The shape metadata that {@link #save} writes for {@code config}. */
    public static Map<String, String> metadata(ModelConfig config) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("vocab_size", Integer.toString(config.vocabSize()));
        meta.put("d_model", Integer.toString(config.dModel()));
        meta.put("n_layers", Integer.toString(config.nLayers()));
        meta.put("n_heads", Integer.toString(config.nHeads()));
        meta.put("seq_len", Integer.toString(config.seqLen()));
        meta.put("mlp_hidden", Integer.toString(config.mlpHidden()));
        meta.put("qk_norm", Boolean.toString(config.qkNorm()));
        return meta;
    }

    public static void save(Path path, Transformer model) {
        List<TensorEntry> entries = new ArrayList<>();
        for (ParameterSpec spec : model.layout().specs()) {
            entries.add(new TensorEntry(spec.name(), spec.shape(), model.readParameter(spec.name())));
        }
        SafetensorsFile.write(path, metadata(model.config()), entries);
    }

    public static void saveGradients(Path path, Transformer model) {
        List<TensorEntry> entries = new ArrayList<>();
        for (ParameterSpec spec : model.layout().specs()) {
            entries.add(new TensorEntry(spec.name(), spec.shape(), model.readGradient(spec.name())));
        }
        SafetensorsFile.write(path, metadata(model.config()), entries);
    }

    /**
     * The model shape from the file's metadata, each value replaced by its override when given.
     * The MLP width and QK-norm come from the metadata when present, else from the tensors.
     */
    public static ModelConfig config(SafetensorsFile file, ShapeOverrides overrides, float zLoss) {
        Map<String, String> meta = file.metadata();
        int vocab = value(meta, "vocab_size", overrides.vocabSize(), "--vocab-size");
        int d = value(meta, "d_model", overrides.dModel(), "--d-model");
        int layers = value(meta, "n_layers", overrides.nLayers(), "--n-layers");
        int heads = value(meta, "n_heads", overrides.nHeads(), "--n-heads");
        int seq = value(meta, "seq_len", overrides.seqLen(), "--seq-len");
        int mlp = 4 * d;
        if (meta.containsKey("mlp_hidden")) {
            mlp = value(meta, "mlp_hidden", null, "--mlp-hidden");
        } else if (file.tensors().containsKey("blocks.0.mlp.fc.weight")) {
            mlp = file.tensors().get("blocks.0.mlp.fc.weight").shape()[0];
        }
        boolean qkNorm = meta.containsKey("qk_norm") ? Boolean.parseBoolean(meta.get("qk_norm"))
                : file.tensors().containsKey("blocks.0.attn.q_norm.weight");
        return new ModelConfig(vocab, d, layers, heads, seq, mlp, zLoss, qkNorm, ModelConfig.DEFAULT_ROPE_THETA);
    }

    private static int value(Map<String, String> meta, String key, Integer override, String flag) {
        if (override != null) {
            return override;
        }
        String text = meta.get(key);
        if (text == null) {
            throw new SafetensorsException("the weights file has no '" + key + "' in its metadata: pass " + flag);
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new SafetensorsException("metadata '" + key + "' is '" + text + "', not an integer: pass " + flag, e);
        }
    }

    /** Copies every tensor of {@code file} into the model after checking names and shapes. */
    public static void load(SafetensorsFile file, Transformer model) {
        check(file, model.layout());
        Map<String, TensorEntry> tensors = file.tensors();
        for (ParameterSpec spec : model.layout().specs()) {
            model.writeParameter(spec.name(), tensors.get(spec.name()).data());
        }
    }

    /** Checks that {@code file} holds exactly the tensors of {@code layout}, each with its shape; the error names the first that differs. */
    public static void check(SafetensorsFile file, ParameterLayout layout) {
        Map<String, TensorEntry> tensors = file.tensors();
        for (ParameterSpec spec : layout.specs()) {
            TensorEntry entry = tensors.get(spec.name());
            if (entry == null) {
                throw new SafetensorsException("the weights file has no tensor '" + spec.name()
                        + "' (expected shape " + spec.shapeString() + ")");
            }
            if (!Arrays.equals(entry.shape(), spec.shape())) {
                throw new SafetensorsException("tensor '" + spec.name() + "' has shape " + entry.shapeString()
                        + " in the file but the model needs " + spec.shapeString());
            }
        }
        for (String name : tensors.keySet()) {
            if (!layout.contains(name)) {
                throw new SafetensorsException("the weights file has a tensor '" + name
                        + "' that this model does not have");
            }
        }
    }
}
