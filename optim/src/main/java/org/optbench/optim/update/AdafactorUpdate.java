package org.optbench.optim.update;

import java.util.ArrayList;
import java.util.List;
import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;
import org.optbench.model.ParameterSpec;
import org.optbench.optim.hyperparameter.HyperparameterValues;

/**
 * The study's Adafactor (Shazeer and Stern, 2018, as modified by Zhao et al., 2024) on a matrix:
 * factored second moment from EMAs of row and column means of g^2, fixed beta2, bias-corrected
 * moments, no update clipping, relative step or parameter scaling. With beta1 = 0 there is no
 * momentum buffer. State: exp_avg (unless beta1 = 0), exp_avg_sq_row, exp_avg_sq_col.
 */
public final class AdafactorUpdate implements TensorUpdate {

    private final Backend backend;
    private final FloatTensor param;
    private final FloatTensor grad;
    private final StateBuffer m;
    private final StateBuffer rows;
    private final StateBuffer cols;
    private final float beta1;
    private final float beta2;
    private final float eps;

    /**
     * The update of one tensor for {@code adafactor}: factored on matrices (one scale per output
     * row with {@code neuron_only}); on vectors Adam's full v, or one scalar with
     * {@code vector_mode: scalar} (the authors' code).
     */
    public static TensorUpdate create(Backend be, ParameterSpec spec, FloatTensor p, FloatTensor g, HyperparameterValues hp) {
        float b1 = hp.number("beta1");
        float b2 = hp.number("beta2");
        float eps = hp.number("eps");
        if (spec.rank() == 2) {
            if (hp.flag("neuron_only")) {
                return new BlockAdamUpdate(be, p, g, spec, spec.dim(1), b1, b2, eps);
            }
            return new AdafactorUpdate(be, p, g, spec, b1, b2, eps);
        }
        if (hp.word("vector_mode").equals("scalar")) {
            return new BlockAdamUpdate(be, p, g, spec, Math.toIntExact(spec.count()), b1, b2, eps);
        }
        return ElementwiseUpdate.single(be, new AdamWUpdate(b1, b2, eps), spec, p, g);
    }

    AdafactorUpdate(Backend backend, FloatTensor param, FloatTensor grad, ParameterSpec spec, float beta1, float beta2,
                    float eps) {
        this.backend = backend;
        this.param = param;
        this.grad = grad;
        int[] shape = spec.shape();
        this.m = beta1 > 0 ? new StateBuffer(spec, "exp_avg", backend.allocate(param.length())) : null;
        this.rows = new StateBuffer(spec.name(), "exp_avg_sq_row", new int[] {shape[0]}, backend.allocate(shape[0]));
        this.cols = new StateBuffer(spec.name(), "exp_avg_sq_col", new int[] {shape[1]}, backend.allocate(shape[1]));
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    @Override
    public void step(int step, float lr, float decay, float gradScale) {
        backend.adafactorUpdate(param, grad, m == null ? null : m.tensor(), rows.tensor(), cols.tensor(),
                rows.shape()[0], cols.shape()[0], lr, beta1, beta2, eps, decay, gradScale, step);
    }

    @Override
    public String layout() {
        return "factored";
    }

    @Override
    public List<StateBuffer> state() {
        List<StateBuffer> list = new ArrayList<>();
        if (m != null) {
            list.add(m);
        }
        list.add(rows);
        list.add(cols);
        return list;
    }
}
