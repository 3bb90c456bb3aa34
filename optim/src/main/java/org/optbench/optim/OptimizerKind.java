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
import org.optbench.optim.hyperparameter.Hyperparameter;
import org.optbench.optim.hyperparameter.HyperparameterException;
import org.optbench.optim.hyperparameter.HyperparameterValues;
import org.optbench.optim.update.AdafactorUpdate;
import org.optbench.optim.update.AdamWUpdate;
import org.optbench.optim.update.BlockAdamUpdate;
import org.optbench.optim.update.ElementwiseRule;
import org.optbench.optim.update.LionUpdate;
import org.optbench.optim.update.MomentumUpdate;
import org.optbench.optim.update.MuonUpdate;
import org.optbench.optim.update.SgdUpdate;
import org.optbench.optim.update.SophiaUpdate;
import org.optbench.optim.update.TensorUpdate;

/**
 * The registry of update rules: each optimizer a parameter group can use, its update (an
 * element-wise rule with its kernel pair, run over side-by-side parameters in one launch, or the
 * factory of a per-tensor update), and its own hyperparameters with type, default (the paper's
 * where it gives them) and range. Every rule also takes {@code lr}, {@code wd} and
 * {@code wd_mode}. CLI flags, spec and config keys, help texts, validation and the backends'
 * dispatch all derive from these entries ({@link RunHyperparameters} is the run-level view), so
 * adding an element-wise optimizer means one entry here, its update class and its kernel pair.
 */
public enum OptimizerKind {
    SGD("sgd", 1.0, SgdUpdate::of,
            Hyperparameter.number("momentum", "SGD's heavy-ball momentum", 0.98, 0, false, 1, true),
            Hyperparameter.flag("nesterov", "SGD: Nesterov momentum", false)),
    ADAMW("adamw", 3.16e-3, AdamWUpdate::of, beta1(), beta2(), eps(),
            Hyperparameter.flag("tie_betas", "AdamW: the second moment uses beta1 too (beta2 = beta1)", false)
                    .excluding("beta2")),
    ADAFACTOR("adafactor", 3.16e-3, AdafactorUpdate::create, beta1(), beta2(), eps(),
            Hyperparameter.flag("neuron_only", "Adafactor: one second-moment scale per output row", false),
            Hyperparameter.choice("vector_mode", "Adafactor on 1-D tensors: one second-moment scalar per tensor (the "
                    + "authors' code, the default) or Adam's full v", "scalar", "scalar", "full")),
    LION("lion", 3.16e-4, LionUpdate::of, beta1(), beta2()),
    SIGNUM("signum", 3.16e-4, LionUpdate::signum, beta1()),
    ADALAYER("adalayer", 3.16e-3, BlockAdamUpdate::adalayer, beta1(), beta2(), eps(),
            Hyperparameter.choice("bias_correction", "Adalayer: the moments whose EMA is bias-corrected (t_freeze "
                    + "turns the second's off)", "both", "both", "first", "second", "none"),
            Hyperparameter.count("t_freeze", "Adalayer: the authors' frozen variant: t_freeze steps at LR 0 while each "
                    + "block's v is a running mean, then v frozen except in the LM head and LayerNorms; the run is "
                    + "t_freeze + steps long, its schedule starts after the freeze (0: off)", 0, 0, 1_000_000_000)),
    MOMENTUM("momentum", 1.0, MomentumUpdate::of, beta1()),
    MUON("muon", 0.02, MuonUpdate::create,
            Hyperparameter.number("momentum", "Muon's Nesterov momentum", 0.95, 0, false, 1, true)),
    SOPHIA("sophia", 3.16e-4, SophiaUpdate::of,
            Hyperparameter.number("beta1", "first-moment EMA coefficient (Signum's only coefficient)", 0.965, 0, false,
                    1, true),
            Hyperparameter.number("beta2", "Sophia: the Hessian estimate's EMA coefficient", 0.99, 0, false, 1, true),
            Hyperparameter.number("rho", "Sophia: the update is lr*sign(m)*min(|m|/(rho*h + eps), 1)", 0.04, 0, true,
                    Double.MAX_VALUE, true),
            Hyperparameter.number("eps", "Sophia: added to rho*h", 1e-15, 0, false, 1, false),
            Hyperparameter.count("hessian_interval", "Sophia: steps between Hessian estimates (after steps k, 2k, ...), "
                    + "each one more forward and backward pass on labels sampled from the model", 10, 1, 1_000_000_000));

    /** Builds the update of one tensor, for a rule that does not treat every element alike. */
    @FunctionalInterface
    interface Factory {
        TensorUpdate create(Backend backend, ParameterSpec spec, FloatTensor param, FloatTensor grad,
                            HyperparameterValues hp);
    }

    /** Builds an element-wise rule from a group's hyperparameters. */
    @FunctionalInterface
    interface RuleFactory {
        ElementwiseRule create(HyperparameterValues hp);
    }

    private final String cliName;
    private final Map<String, Hyperparameter> hyperparameters;
    private final Factory factory;
    private final RuleFactory rule;

    OptimizerKind(String cliName, double defaultLr, Factory factory, Hyperparameter... own) {
        this(cliName, defaultLr, factory, null, own);
    }

    OptimizerKind(String cliName, double defaultLr, RuleFactory rule, Hyperparameter... own) {
        this(cliName, defaultLr, null, rule, own);
    }

    OptimizerKind(String cliName, double defaultLr, Factory factory, RuleFactory rule, Hyperparameter... own) {
        this.cliName = cliName;
        this.factory = factory;
        this.rule = rule;
        Map<String, Hyperparameter> all = new LinkedHashMap<>();
        all.put("lr", Hyperparameter.number("lr", "peak learning rate (the schedule scales it)", defaultLr, 0, true,
                Double.MAX_VALUE, true));
        for (Hyperparameter h : own) {
            all.put(h.name(), h);
        }
        all.put("wd", Hyperparameter.number("wd", "decoupled weight decay, applied before the update", 0, 0, false, 10,
                false));
        all.put("wd_mode", Hyperparameter.choice("wd_mode", "weight decay convention: torch (p *= 1 - lr_t*wd) or paper "
                + "(p *= 1 - lr_t*wd/peak_lr)", "torch", "torch", "paper"));
        this.hyperparameters = all;
    }

    private static Hyperparameter beta1() {
        return Hyperparameter.number("beta1", "first-moment EMA coefficient (Signum's only coefficient)", 0.9, 0, false,
                1, true);
    }

    private static Hyperparameter beta2() {
        return Hyperparameter.number("beta2", "second-moment EMA coefficient (Lion: the momentum's)", 0.95, 0, false, 1,
                true);
    }

    private static Hyperparameter eps() {
        return Hyperparameter.number("eps", "added to the second moment's square root", 1e-15, 0, false, 1, false);
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
     * does not use is an error that lists the ones it does, and so is a value its switches exclude.
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
        HyperparameterValues checked = new HyperparameterValues(values);
        hyperparameters.values().forEach(h -> h.checkExcluded(checked, given));
        return checked;
    }

    /** Whether this rule treats every element alike: its groups update side-by-side parameters in one launch. */
    public boolean elementwise() {
        return rule != null;
    }

    /** The element-wise rule of a group with hyperparameters {@code hp}; only for {@link #elementwise()} kinds. */
    public ElementwiseRule rule(HyperparameterValues hp) {
        if (rule == null) {
            throw new IllegalStateException(cliName + " is not element-wise");
        }
        return rule.create(hp);
    }

    /** The update of one tensor; for a rule that is not element-wise. */
    TensorUpdate create(Backend backend, ParameterSpec spec, FloatTensor param, FloatTensor grad,
                        HyperparameterValues hp) {
        if (factory == null) {
            throw new IllegalStateException(cliName + " is element-wise: its groups update in runs");
        }
        return factory.create(backend, spec, param, grad, hp);
    }

    @Override
    public String toString() {
        return cliName;
    }
}
