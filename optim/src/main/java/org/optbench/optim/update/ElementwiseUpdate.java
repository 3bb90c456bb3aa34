package org.optbench.optim.update;

import java.util.ArrayList;
import java.util.List;
import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;
import org.optbench.model.ParameterSpec;

/**
 * An element-wise rule over parameters that lie side by side in the flat parameter buffer: their
 * state is one flat buffer per state name, beside them in the same order, and a step is one kernel
 * launch over all of them. Each parameter's slice of the state is its own {@link StateBuffer}, so
 * checkpoints hold {@code <parameter>.<state>} exactly as for a per-tensor update.
 */
public final class ElementwiseUpdate implements TensorUpdate {

    private final Backend backend;
    private final ElementwiseRule rule;
    private final FloatTensor param;
    private final FloatTensor grad;
    private final List<FloatTensor> flat = new ArrayList<>();
    private final List<StateBuffer> state = new ArrayList<>();

    /**
     * The update of {@code run}, parameters in flat-buffer order each starting where the previous
     * one ends, over the model's flat {@code params} and {@code grads}.
     */
    public static ElementwiseUpdate over(Backend backend, ElementwiseRule rule, List<ParameterSpec> run,
                                         FloatTensor params, FloatTensor grads) {
        long start = run.get(0).offset();
        long n = 0;
        for (ParameterSpec spec : run) {
            if (spec.offset() != start + n) {
                throw new IllegalArgumentException("'" + spec.name() + "' does not follow the parameter before it in the "
                        + "flat buffer; an element-wise update covers parameters that lie side by side");
            }
            n += spec.count();
        }
        return new ElementwiseUpdate(backend, rule, run, params.slice(start, n), grads.slice(start, n));
    }

    /** The update of one parameter {@code spec} whose values and gradient are {@code param} and {@code grad}. */
    public static ElementwiseUpdate single(Backend backend, ElementwiseRule rule, ParameterSpec spec, FloatTensor param,
                                           FloatTensor grad) {
        return new ElementwiseUpdate(backend, rule, List.of(spec), param, grad);
    }

    private ElementwiseUpdate(Backend backend, ElementwiseRule rule, List<ParameterSpec> run, FloatTensor param,
                              FloatTensor grad) {
        this.backend = backend;
        this.rule = rule;
        this.param = param;
        this.grad = grad;
        long n = param.length();
        for (int j = 0; j < rule.stateNames().size(); j++) {
            flat.add(backend.allocate(n));
        }
        long offset = 0;
        for (ParameterSpec spec : run) {
            for (int j = 0; j < flat.size(); j++) {
                state.add(new StateBuffer(spec, rule.stateNames().get(j), flat.get(j).slice(offset, spec.count())));
            }
            offset += spec.count();
        }
    }

    @Override
    public void step(int step, float lr, float decay, float gradScale) {
        backend.elementwiseUpdate(rule.kernel(), param, grad, flat, param.length(), rule.scalars(step, lr, decay, gradScale));
    }

    @Override
    public int curvatureInterval() {
        return rule instanceof CurvatureRule c ? c.curvatureInterval() : 0;
    }

    @Override
    public void updateCurvature(long tokens) {
        if (!(rule instanceof CurvatureRule c)) {
            TensorUpdate.super.updateCurvature(tokens);
            return;
        }
        backend.elementwiseUpdate(c.curvatureKernel(), param, grad, flat, param.length(), c.curvatureScalars(tokens));
    }

    @Override
    public String layout() {
        return rule instanceof CurvatureRule c ? "diagonal Hessian estimated after every " + c.curvatureInterval()
                + "th step" : "";
    }

    @Override
    public List<StateBuffer> state() {
        return List.copyOf(state);
    }
}
