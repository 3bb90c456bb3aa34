package org.optbench.model;

import org.optbench.kernels.FloatTensor;

/**
 * Named views into one flat buffer laid out by a {@link ParameterLayout}: the parameters, or the
 * gradients, which share the layout. The QKV matrix is also viewed as its q, k and v row blocks.
 */
final class WeightViews {

    /** The views of one transformer block. */
    static final class Block {
        final FloatTensor ln1;   // (C)
        final FloatTensor qkv;   // (3C,C)
        final FloatTensor wq;    // (C,C) rows [0, C) of qkv
        final FloatTensor wk;    // (C,C) rows [C, 2C) of qkv
        final FloatTensor wv;    // (C,C) rows [2C, 3C) of qkv
        final FloatTensor qNorm; // (C), null without QK-norm
        final FloatTensor kNorm; // (C), null without QK-norm
        final FloatTensor proj;  // (C,C)
        final FloatTensor ln2;   // (C)
        final FloatTensor fc;    // (F,C)
        final FloatTensor mlpProj; // (C,F)

        Block(FloatTensor flat, ParameterLayout layout, int i, int c) {
            String p = "blocks." + i + ".";
            ln1 = view(flat, layout, p + "ln1.weight");
            qkv = view(flat, layout, p + "attn.qkv.weight");
            long cc = (long) c * c;
            wq = qkv.slice(0, cc);
            wk = qkv.slice(cc, cc);
            wv = qkv.slice(2 * cc, cc);
            qNorm = layout.contains(p + "attn.q_norm.weight") ? view(flat, layout, p + "attn.q_norm.weight") : null;
            kNorm = layout.contains(p + "attn.k_norm.weight") ? view(flat, layout, p + "attn.k_norm.weight") : null;
            proj = view(flat, layout, p + "attn.proj.weight");
            ln2 = view(flat, layout, p + "ln2.weight");
            fc = view(flat, layout, p + "mlp.fc.weight");
            mlpProj = view(flat, layout, p + "mlp.proj.weight");
        }
    }

    final FloatTensor wte;     // (V,C)
    final Block[] blocks;
    final FloatTensor lnF;     // (C)
    final FloatTensor lmHead;  // (V,C)

    WeightViews(FloatTensor flat, ParameterLayout layout, ModelConfig config) {
        wte = view(flat, layout, "wte.weight");
        blocks = new Block[config.nLayers()];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new Block(flat, layout, i, config.dModel());
        }
        lnF = view(flat, layout, "ln_f.weight");
        lmHead = view(flat, layout, "lm_head.weight");
    }

    static FloatTensor view(FloatTensor flat, ParameterLayout layout, String name) {
        ParameterSpec spec = layout.get(name);
        return flat.slice(spec.offset(), spec.count());
    }
}
