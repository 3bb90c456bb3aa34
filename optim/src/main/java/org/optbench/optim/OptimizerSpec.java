package org.optbench.optim;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;
import org.optbench.model.ParameterLayout;
import org.optbench.model.ParameterSpec;
import org.optbench.optim.hyperparameter.HyperparameterException;

/**
 * The optimizer of one run as data: an optimizer or hybrid of the suite by name, or parameter-group
 * rules of the user's own ({@code groups}, labelled {@code name}); the run-level hyperparameters
 * that were given (typed by {@link RunHyperparameters}, in its order; every other value is the
 * optimizer's default); and the LR schedule's shape. Ranges are checked when the groups are
 * resolved against a model, by each group's optimizer.
 *
 * @param name            optimizer or hybrid name, or a label for {@code groups} (e.g. its file name)
 * @param groups          the user's rules, or null for the rules of {@code name}
 * @param hyperparameters run-level values by name (Double, Boolean or String)
 * @param schedule        the LR schedule's shape
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OptimizerSpec(String name, GroupRules groups, Map<String, Object> hyperparameters,
                            LrSchedule.Kind schedule) {

    /** The optimizer when a run names none. */
    public static final String DEFAULT = "adamw";

    public OptimizerSpec {
        if (name == null || name.isBlank()) {
            throw new HyperparameterException("an optimizer needs a name; choose one of " + GroupRules.names());
        }
        if (groups == null) {
            GroupRules.named(name);
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        Map<String, Object> given = hyperparameters == null ? Map.of() : hyperparameters;
        for (String key : given.keySet()) {
            RunHyperparameters.get(key);
        }
        for (String key : RunHyperparameters.names()) {
            if (given.containsKey(key)) {
                typed.put(key, RunHyperparameters.convert(key, given.get(key)));
            }
        }
        hyperparameters = Collections.unmodifiableMap(typed);
        schedule = schedule == null ? LrSchedule.Kind.PAPER : schedule;
    }

    /** {@code name}'s rules with the optimizers' defaults and the paper schedule. */
    public static OptimizerSpec named(String name) {
        return new OptimizerSpec(name, null, Map.of(), LrSchedule.Kind.PAPER);
    }

    /** The parameter-group rules this spec applies. */
    public GroupRules rules() {
        return groups != null ? groups : GroupRules.named(name);
    }

    /** This spec with one more run-level hyperparameter (converted to its type). */
    public OptimizerSpec with(String hyperparameter, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(hyperparameters);
        more.put(hyperparameter, value);
        return new OptimizerSpec(name, groups, more, schedule);
    }

    /** Assigns the model's parameters to groups and checks every group's hyperparameters. */
    public List<ParamGroup> resolve(List<ParameterSpec> parameters) {
        return rules().resolve(parameters, hyperparameters);
    }

    /**
     * The schedule over {@code steps} steps with {@code warmup} warmup steps, after {@code freeze}
     * steps at LR 0 (Adalayer's {@code t_freeze}; the run is then freeze + steps long).
     */
    public LrSchedule schedule(int warmup, int steps, int freeze) {
        return (schedule == LrSchedule.Kind.CONSTANT ? LrSchedule.constant() : new LrSchedule(schedule, warmup, steps))
                .afterFreeze(freeze);
    }

    /**
     * The optimizer over a model's flat parameter and gradient buffers, its schedule {@code steps}
     * long after the groups' freeze.
     */
    public Optimizer build(Backend backend, ParameterLayout layout, FloatTensor params, FloatTensor grads, int warmup,
                           int steps) {
        List<ParamGroup> groups = resolve(layout.specs());
        return new Optimizer(backend, groups, params, grads, schedule(warmup, steps, ParamGroup.freezeSteps(groups)));
    }
}
