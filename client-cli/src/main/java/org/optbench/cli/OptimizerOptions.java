package org.optbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optbench.kernels.Backend;
import org.optbench.model.ParameterLayout;
import org.optbench.optim.GroupRules;
import org.optbench.optim.LrSchedule;
import org.optbench.optim.Optimizer;
import org.optbench.optim.ParamGroup;
import picocli.CommandLine.Option;

/**
 * The optimizer flags shared by the commands that build one: the optimizer or hybrid (or a group
 * rule file), the run-level hyperparameters (only the flags given are passed on, so each
 * optimizer's defaults apply otherwise), and the LR schedule.
 */
final class OptimizerOptions {

    @Option(names = "--optimizer", description = "sgd, adamw, adafactor, lion, signum, adalayer, momentum, muon, "
            + "adaptive-last-ln, adafactor-last-ln or adam-last-ln-sgd-rest (default: adamw)")
    String optimizer;

    @Option(names = "--groups", description = "parameter-group rules (YAML or JSON) instead of --optimizer")
    Path groups;

    @Option(names = "--lr", description = "peak learning rate (default: the optimizer's)")
    String lr;

    @Option(names = "--lr-last", description = "peak LR of the groups whose rule says lr: lr_last (hybrids; default 3.16e-3)")
    String lrLast;

    @Option(names = "--beta1", description = "first-moment EMA coefficient (signum's only coefficient)")
    String beta1;

    @Option(names = "--beta2", description = "second-moment EMA coefficient")
    String beta2;

    @Option(names = "--eps", description = "added after the square root")
    String eps;

    @Option(names = "--momentum", description = "SGD / Muon momentum")
    String momentum;

    @Option(names = "--nesterov", arity = "0..1", fallbackValue = "true", description = "Nesterov momentum for SGD")
    String nesterov;

    @Option(names = "--wd", description = "decoupled weight decay (default 0)")
    String wd;

    @Option(names = "--wd-mode", description = "torch (p *= 1 - lr_t*wd) or paper (p *= 1 - lr_t*wd/peak_lr)")
    String wdMode;

    @Option(names = "--neuron-only", arity = "0..1", fallbackValue = "true", description = "Adafactor: one scale per output row")
    String neuronOnly;

    @Option(names = "--vector-mode", description = "Adafactor on 1-D tensors: full (default) or scalar")
    String vectorMode;

    @Option(names = "--schedule", defaultValue = "paper", description = "paper, constant, linear or wsd (default ${DEFAULT-VALUE})")
    String schedule;

    /** The run-level hyperparameters that were given, by their rule-language names. */
    Map<String, Object> runValues() {
        Map<String, Object> values = new LinkedHashMap<>();
        put(values, "lr", lr);
        put(values, "lr_last", lrLast);
        put(values, "beta1", beta1);
        put(values, "beta2", beta2);
        put(values, "eps", eps);
        put(values, "momentum", momentum);
        put(values, "nesterov", nesterov);
        put(values, "wd", wd);
        put(values, "wd_mode", wdMode);
        put(values, "neuron_only", neuronOnly);
        put(values, "vector_mode", vectorMode);
        return values;
    }

    private static void put(Map<String, Object> values, String name, String value) {
        if (value != null) {
            values.put(name, value);
        }
    }

    GroupRules rules() throws IOException {
        if (groups != null) {
            if (optimizer != null) {
                throw new IllegalArgumentException("give --optimizer or --groups, not both");
            }
            return GroupRules.parse(Files.readString(groups), groups.toString());
        }
        return GroupRules.named(optimizer != null ? optimizer : "adamw");
    }

    String label() {
        return groups != null ? groups.toString() : optimizer != null ? optimizer : "adamw";
    }

    List<ParamGroup> resolve(ParameterLayout layout) throws IOException {
        return rules().resolve(layout.specs(), runValues());
    }

    LrSchedule schedule(int warmup, int steps) {
        LrSchedule.Kind kind = LrSchedule.Kind.of(schedule);
        return kind == LrSchedule.Kind.CONSTANT ? LrSchedule.constant() : new LrSchedule(kind, warmup, steps);
    }

    Optimizer build(Backend backend, ParameterLayout layout, org.optbench.kernels.FloatTensor params,
                    org.optbench.kernels.FloatTensor grads, int warmup, int steps) throws IOException {
        return new Optimizer(backend, resolve(layout), params, grads, schedule(warmup, steps));
    }
}
