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
 * Adalayer's ablations: without bias correction (both moments uncorrected), and with the second
 * moment frozen after {@code t_freeze} steps (v keeps its value at step t_freeze, and so does its
 * bias correction). State: exp_avg (per element), exp_avg_sq_block (one per block).
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
    private final boolean biasCorrection;
    private final int freezeAfter;

    /**
     * The update of one tensor for {@code adalayer}: blocks as {@link Blocks#adalayerBlockSize},
     * with {@code bias_correction} and {@code t_freeze} (0: never freeze).
     */
    public static TensorUpdate adalayer(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g,
                                        HyperparameterValues hp) {
        return new BlockAdamUpdate(be, p, g, spec, Blocks.adalayerBlockSize(spec), hp.number("beta1"),
                hp.number("beta2"), hp.number("eps"), hp.flag("bias_correction"), (int) hp.number("t_freeze"));
    }

    /** Adam with block second moments, bias-corrected, never frozen (Adafactor's block modes). */
    BlockAdamUpdate(Backend backend, FloatTensor param, FloatTensor grad, ParameterSpec spec, int blockSize, float beta1,
                    float beta2, float eps) {
        this(backend, param, grad, spec, blockSize, beta1, beta2, eps, true, 0);
    }

    BlockAdamUpdate(Backend backend, FloatTensor param, FloatTensor grad, ParameterSpec spec, int blockSize, float beta1,
                    float beta2, float eps, boolean biasCorrection, int freezeAfter) {
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
        this.biasCorrection = biasCorrection;
        this.freezeAfter = freezeAfter;
    }

    @Override
    public void step(int step, float lr, float decay, float gradScale) {
        boolean frozen = freezeAfter > 0 && step > freezeAfter;
        int vSteps = frozen ? freezeAfter : step;
        float c1 = biasCorrection ? BiasCorrection.factor(beta1, step) : 1f;
        float c2 = biasCorrection ? BiasCorrection.factor(beta2, vSteps) : 1f;
        backend.blockAdamUpdate(param, grad, m.tensor(), v.tensor(), param.length(), blockSize, lr, beta1,
                frozen ? 1f : beta2, eps, decay, gradScale, c1, c2);
    }

    @Override
    public String layout() {
        return "blocks " + param.length() / blockSize + " x " + blockSize;
    }

    @Override
    public List<StateBuffer> state() {
        return List.of(m, v);
    }
}
