package org.optbench.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;
import org.optbench.model.ParameterSpec;
import org.optbench.optim.update.TensorUpdate;
import org.optbench.optim.update.Updates;

/**
 * The update rules a parameter group can use, each with its hyperparameters and their defaults
 * (the paper's where it gives them). Every rule also takes {@code lr}, {@code wd} and
 * {@code wd_mode}.
 */
public enum OptimizerKind {
    SGD("sgd", 1.0, Updates::sgd,
            Hyperparameter.number("momentum", 0.98, 0, false, 1, true),
            Hyperparameter.flag("nesterov", false)),
    ADAMW("adamw", 3.16e-3, Updates::adamw, beta1(), beta2(), eps()),
    ADAFACTOR("adafactor", 3.16e-3, Updates::adafactor, beta1(), beta2(), eps(),
            Hyperparameter.flag("neuron_only", false),
            Hyperparameter.choice("vector_mode", "full", "full", "scalar")),
    LION("lion", 3.16e-4, Updates::lion, beta1(), beta2()),
    SIGNUM("signum", 3.16e-4, Updates::signum, beta1()),
    ADALAYER("adalayer", 3.16e-3, Updates::adalayer, beta1(), beta2(), eps()),
    MOMENTUM("momentum", 1.0, Updates::momentum, beta1()),
    MUON("muon", 0.02, Updates::muon, Hyperparameter.number("momentum", 0.95, 0, false, 1, true));

    /** Builds the update of one tensor. */
    @FunctionalInterface
    interface Factory {
        TensorUpdate create(Backend backend, ParameterSpec spec, FloatTensor param, FloatTensor grad,
                            HyperparameterValues hp);
    }

    private final String cliName;
    private final Map<String, Hyperparameter> hyperparameters;
    private final Factory factory;

    OptimizerKind(String cliName, double defaultLr, Factory factory, Hyperparameter... own) {
        this.cliName = cliName;
        this.factory = factory;
        Map<String, Hyperparameter> all = new LinkedHashMap<>();
        all.put("lr", Hyperparameter.number("lr", defaultLr, 0, true, Double.MAX_VALUE, true));
        for (Hyperparameter h : own) {
            all.put(h.name(), h);
        }
        all.put("wd", Hyperparameter.number("wd", 0, 0, false, 10, false));
        all.put("wd_mode", Hyperparameter.choice("wd_mode", "torch", "torch", "paper"));
        this.hyperparameters = all;
    }

    private static Hyperparameter beta1() {
        return Hyperparameter.number("beta1", 0.9, 0, false, 1, true);
    }

    private static Hyperparameter beta2() {
        return Hyperparameter.number("beta2", 0.95, 0, false, 1, true);
    }

    private static Hyperparameter eps() {
        return Hyperparameter.number("eps", 1e-15, 0, false, 1, false);
    }

    public String cliName() {
        return cliName;
    }

    public Map<String, Hyperparameter> hyperparameters() {
        return hyperparameters;
    }

    public boolean accepts(String hyperparameter) {
        return hyperparameters.containsKey(hyperparameter);
    }

    /** The optimizer of that name; the error lists the valid names. */
    public static OptimizerKind of(String name) {
        for (OptimizerKind k : values()) {
            if (k.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new HyperparameterException("unknown optimizer '" + name + "'; choose one of " + names());
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>();
        Arrays.stream(values()).forEach(k -> names.add(k.cliName));
        return names;
    }

    /**
     * The checked hyperparameters from defaults overridden by {@code given}; a name this optimizer
     * does not use is an error that lists the ones it does.
     */
    public HyperparameterValues resolve(Map<String, Object> given) {
        for (String name : given.keySet()) {
            if (!accepts(name)) {
                throw new HyperparameterException("'" + name + "' is not a hyperparameter of " + cliName
                        + "; it takes " + hyperparameters.keySet());
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        hyperparameters.forEach((name, h) -> values.put(name, given.containsKey(name)
                ? h.parse(given.get(name)) : h.defaultValue()));
        return new HyperparameterValues(values);
    }

    TensorUpdate create(Backend backend, ParameterSpec spec, FloatTensor param, FloatTensor grad,
                        HyperparameterValues hp) {
        return factory.create(backend, spec, param, grad, hp);
    }

    @Override
    public String toString() {
        return cliName;
    }
}
