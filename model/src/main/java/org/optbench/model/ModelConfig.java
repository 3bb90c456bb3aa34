package org.optbench.model;

/**
 * The shape of the paper's decoder-only transformer and its loss: vocabulary, width, depth,
 * heads, context length, MLP width, the z-loss coefficient (0 turns it off), QK-LayerNorm on or
 * off, and the RoPE base. Validated at construction so a bad shape fails before any memory is
 * allocated, with both conflicting values in the message.
 *
 * @param vocabSize  V, rows of {@code wte} and {@code lm_head}
 * @param dModel     C, the residual width
 * @param nLayers    number of transformer blocks
 * @param nHeads     H, attention heads; must divide dModel into an even head size (RoPE)
 * @param seqLen     T, tokens per sequence
 * @param mlpHidden  width of the MLP's hidden layer (4 * dModel in every preset)
 * @param zLoss      coefficient of {@code mean(logsumexp(logits)^2)} in the loss; 0 disables it
 * @param qkNorm     whether q and k pass through their own LayerNorm before RoPE
 * @param ropeTheta  RoPE base frequency
 */
public record ModelConfig(int vocabSize, int dModel, int nLayers, int nHeads, int seqLen, int mlpHidden,
                          float zLoss, boolean qkNorm, float ropeTheta) {

    public static final float DEFAULT_Z_LOSS = 1e-4f;
    public static final float DEFAULT_ROPE_THETA = 10000f;

    public ModelConfig {
        positive("vocab_size", vocabSize);
        positive("d_model", dModel);
        positive("n_layers", nLayers);
        positive("n_heads", nHeads);
        positive("seq_len", seqLen);
        positive("mlp_hidden", mlpHidden);
        if (dModel % nHeads != 0) {
            throw new ModelConfigException("n_heads (" + nHeads + ") must divide d_model (" + dModel + ")");
        }
        if ((dModel / nHeads) % 2 != 0) {
            throw new ModelConfigException("head size d_model/n_heads = " + dModel + "/" + nHeads + " = "
                    + (dModel / nHeads) + " must be even for RoPE");
        }
        if (!(zLoss >= 0f) || Float.isInfinite(zLoss)) {
            throw new ModelConfigException("z_loss must be a finite value >= 0 (0 turns it off), got " + zLoss);
        }
        if (!(ropeTheta > 1f) || Float.isInfinite(ropeTheta)) {
            throw new ModelConfigException("rope_theta must be a finite value > 1, got " + ropeTheta);
        }
    }

    /** The paper's defaults for everything but the shape: MLP 4x, z-loss 1e-4, QK-norm, RoPE base 10000. */
    public static ModelConfig of(int vocabSize, int dModel, int nLayers, int nHeads, int seqLen) {
        return new ModelConfig(vocabSize, dModel, nLayers, nHeads, seqLen, 4 * dModel, DEFAULT_Z_LOSS, true,
                DEFAULT_ROPE_THETA);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new ModelConfigException(name + " must be positive, got " + value);
        }
    }

    public int headSize() {
        return dModel / nHeads;
    }

    public ModelConfig withSeqLen(int t) {
        return new ModelConfig(vocabSize, dModel, nLayers, nHeads, t, mlpHidden, zLoss, qkNorm, ropeTheta);
    }

    public ModelConfig withZLoss(float coefficient) {
        return new ModelConfig(vocabSize, dModel, nLayers, nHeads, seqLen, mlpHidden, coefficient, qkNorm, ropeTheta);
    }

    public ModelConfig withVocabSize(int v) {
        return new ModelConfig(v, dModel, nLayers, nHeads, seqLen, mlpHidden, zLoss, qkNorm, ropeTheta);
    }

    public ModelConfig withQkNorm(boolean on) {
        return new ModelConfig(vocabSize, dModel, nLayers, nHeads, seqLen, mlpHidden, zLoss, on, ropeTheta);
    }

    /**
     * Model FLOPs per token of a training step's forward and backward: 6 x the weights of the
     * matmuls (the blocks' attention and MLP projections and the LM head) plus 6 x L x C x T for
     * causal attention (its scores and weighted values, forward and backward, over half of the
     * T x T products).
     */
    public double trainingFlopsPerToken() {
        double d = dModel;
        double matmulWeights = nLayers * (4 * d * d + 2 * d * mlpHidden) + (double) vocabSize * d;
        return 6 * matmulWeights + 6.0 * nLayers * d * seqLen;
    }
}
