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

    /** Steps this group's rule trains at LR 0 before the schedule starts: Adalayer's {@code t_freeze}, else 0. */
    public int freezeSteps() {
        return hyperparameters.asMap().containsKey("t_freeze") ? (int) hyperparameters.number("t_freeze") : 0;
    }

    /** The freeze of a run: the longest of its groups'. */
    public static int freezeSteps(List<ParamGroup> groups) {
        return groups.stream().mapToInt(ParamGroup::freezeSteps).max().orElse(0);
    }
}
