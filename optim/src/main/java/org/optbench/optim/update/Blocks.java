package org.optbench.optim.update;

import org.optbench.model.ParameterLayout;
import org.optbench.model.ParameterSpec;

/**
 * How a parameter tensor splits into blocks for block-wise rules: the fused QKV matrix into its
 * q, k and v row thirds, the LM head into one block per row (vocabulary entry), and every other
 * tensor into one block (SPEC: Adalayer). Blocks are always runs of consecutive elements.
 */
public final class Blocks {

    private Blocks() {
    }

    /** Elements per Adalayer block of {@code spec}. */
    public static int adalayerBlockSize(ParameterSpec spec) {
        if (spec.name().endsWith("attn.qkv.weight") && spec.rank() == 2 && spec.dim(0) % 3 == 0) {
            return spec.dim(0) / 3 * spec.dim(1);
        }
        if (spec.name().equals("lm_head.weight") && spec.rank() == 2) {
            return spec.dim(1);
        }
        return Math.toIntExact(spec.count());
    }

    /**
     * Whether the authors' frozen Adalayer keeps updating this tensor's second moment after the
     * freeze: the LM head (their {@code update_last}) and the LayerNorm gains ({@code update_norm}).
     */
    public static boolean updatesAfterFreeze(ParameterSpec spec) {
        return spec.name().equals("lm_head.weight") || ParameterLayout.isLayerNormGain(spec.name());
    }

    /** Rows of each matrix Muon orthogonalises separately: a third of QKV, else all rows. */
    public static int muonBlockRows(ParameterSpec spec) {
        if (spec.name().endsWith("attn.qkv.weight") && spec.dim(0) % 3 == 0) {
            return spec.dim(0) / 3;
        }
        return spec.dim(0);
    }
}
