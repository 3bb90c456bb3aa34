package org.optbench.optim.update;

import java.util.List;
import org.optbench.kernels.Backend;
import org.optbench.kernels.BiasCorrection;
import org.optbench.kernels.FloatTensor;
import org.optbench.model.ParameterSpec;
import org.optbench.optim.hyperparameter.HyperparameterValues;

/**
 * Adam with one second-moment scalar per block of consecutive elements: Adalayer (Zhao et al.,
 * 2024), Adafactor's per-row ({@code neuron_only}) and scalar ({@code vector_mode: scalar}) modes.
 * Adalayer's ablations, as the authors' code runs them: {@code bias_correction} chooses the moments
 * whose EMA is corrected; {@code t_freeze} is their frozen variant, in which the first t_freeze
 * steps (at LR 0, from the schedule) make v a running mean of the blocks' mean g^2 (weight
 * 1/(t+1) at step t), after which v stays frozen except in the LM head and the LayerNorm gains,
 * which keep their beta2 EMA, and the second moment is never bias-corrected. State: exp_avg (per
 * element), exp_avg_sq_block (one per block).
 */
public final class BlockAdamUpdate implements TensorUpdate {

    private final Backend backend;
    private final FloatTensor param;
    private final FloatTensor grad;
    private final StateBuffer m;
    private final StateBuffer v;
    private final int blockSize;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final boolean correctFirst;
    private final boolean correctSecond;
    private final int freeze;
    private final boolean updatesAfterFreeze;

    /**
     * The update of one tensor for {@code adalayer}: blocks as {@link Blocks#adalayerBlockSize},
     * with {@code bias_correction} and {@code t_freeze} (0: no freeze).
     */
    public static TensorUpdate adalayer(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g,
                                        HyperparameterValues hp) {
        String corrected = hp.word("bias_correction");
        int freeze = (int) hp.number("t_freeze");
        return new BlockAdamUpdate(be, p, g, spec, Blocks.adalayerBlockSize(spec), hp.number("beta1"),
                hp.number("beta2"), hp.number("eps"), corrected.equals("both") || corrected.equals("first"),
                freeze == 0 && (corrected.equals("both") || corrected.equals("second")), freeze,
                Blocks.updatesAfterFreeze(spec));
    }

    /** Adam with block second moments, bias-corrected, never frozen (Adafactor's block modes). */
    BlockAdamUpdate(Backend backend, FloatTensor param, FloatTensor grad, ParameterSpec spec, int blockSize, float beta1,
                    float beta2, float eps) {
        this(backend, param, grad, spec, blockSize, beta1, beta2, eps, true, true, 0, true);
    }

    private BlockAdamUpdate(Backend backend, FloatTensor param, FloatTensor grad, ParameterSpec spec, int blockSize,
                            float beta1, float beta2, float eps, boolean correctFirst, boolean correctSecond, int freeze,
                            boolean updatesAfterFreeze) {
        this.backend = backend;
        this.param = param;
        this.grad = grad;
        this.blockSize = blockSize;
        int blocks = Math.toIntExact(param.length() / blockSize);
        this.m = new StateBuffer(spec, "exp_avg", backend.allocate(param.length()));
        this.v = new StateBuffer(spec.name(), "exp_avg_sq_block", new int[] {blocks}, backend.allocate(blocks));
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.correctFirst = correctFirst;
        this.correctSecond = correctSecond;
        this.freeze = freeze;
        this.updatesAfterFreeze = updatesAfterFreeze;
    }

    @Override
    public void step(int step, float lr, float decay, float gradScale) {
        float c1 = correctFirst ? BiasCorrection.factor(beta1, step) : 1f;
        float c2 = correctSecond ? BiasCorrection.factor(beta2, step) : 1f;
        backend.blockAdamUpdate(param, grad, m.tensor(), v.tensor(), param.length(), blockSize, lr, beta1,
                secondMomentDecay(step), eps, decay, gradScale, c1, c2);
    }

    /**
     * The coefficient of v at {@code step}: beta2; with a freeze, t/(t+1) during it (v += (x - v)/(t+1),
     * a running mean), then 1 (v kept) except for the LM head and the LayerNorms.
     */
    float secondMomentDecay(int step) {
        if (freeze == 0) {
            return beta2;
        }
        if (step <= freeze) {
            return (float) step / (step + 1);
        }
        return updatesAfterFreeze ? beta2 : 1f;
    }

    @Override
    public String layout() {
        String blocks = "blocks " + param.length() / blockSize + " x " + blockSize;
        if (freeze == 0) {
            return blocks;
        }
        return blocks + (updatesAfterFreeze ? ", v updated after the freeze" : ", v frozen after step " + freeze);
    }

    @Override
    public List<StateBuffer> state() {
        return List.of(m, v);
    }
}
