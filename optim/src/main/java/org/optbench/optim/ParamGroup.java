package org.optbench.optim;

import java.util.List;
import org.optbench.model.ParameterSpec;
import org.optbench.optim.hyperparameter.HyperparameterValues;

/**
 * A resolved parameter group: its name, update rule, checked hyperparameters and the parameters
 * it owns, in model order.
 */
public record ParamGroup(String name, OptimizerKind kind, HyperparameterValues hyperparameters,
                         List<ParameterSpec> parameters) {

    public ParamGroup {
        parameters = List.copyOf(parameters);
    }

    public float peakLr() {
        return hyperparameters.number("lr");
    }

    public float wd() {
        return hyperparameters.number("wd");
    }

    public WeightDecayMode wdMode() {
        return WeightDecayMode.of(hyperparameters.word("wd_mode"));
    }
}
