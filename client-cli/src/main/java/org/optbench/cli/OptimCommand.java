package org.optbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.optbench.model.ModelPresets;
import org.optbench.model.ParameterLayout;
import org.optbench.model.ParameterSpec;
import org.optbench.optim.GroupRules;
import org.optbench.optim.Optimizer;
import org.optbench.optim.OptimizerSpec;
import org.optbench.optim.ParamGroup;
import org.optbench.optim.StateAccounting;
import org.optbench.train.run.RunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code optbench optim}: inspect how an optimizer or group-rule file applies to a model. */
@Command(name = "optim", mixinStandardHelpOptions = true,
        description = "Show parameter groups and optimizer memory for a model preset.",
        subcommands = {OptimCommand.Explain.class, OptimCommand.Memory.class})
final class OptimCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code optbench optim explain}: which group, rule and hyperparameters each tensor gets. */
    @Command(name = "explain", mixinStandardHelpOptions = true, modelTransformer = RunOptions.OptimizerKeys.class,
            description = "Print every parameter with its group, optimizer, hyperparameters and state.")
    static final class Explain implements Callable<Integer> {

        @Option(names = "--preset", defaultValue = "nano", description = "model preset (default ${DEFAULT-VALUE})")
        String preset;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            ParameterLayout layout = new ParameterLayout(ModelPresets.get(preset).config());
            OptimizerSpec optim = RunOptions.applyFlags(RunSpec.builder(), spec.commandLine().getParseResult()).build()
                    .optimizer();
            List<ParamGroup> groups = optim.resolve(layout.specs());
            Optimizer plan = StateAccounting.plan(groups, layout);
            Map<String, String> layouts = plan.tensorLayouts();
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%s on %s (%,d parameters)%n", optim.name(), preset, layout.totalCount());
            for (ParamGroup g : groups) {
                out.printf("%ngroup %s: %s  %s%n", g.name(), g.kind(), g.hyperparameters());
                for (ParameterSpec p : g.parameters()) {
                    String how = layouts.get(p.name());
                    out.printf("  %-32s %-14s%s%n", p.name(), p.shapeString(), how.isEmpty() ? "" : " " + how);
                }
            }
            out.printf("%noptimizer state: %,d bytes (%.2f bytes per parameter)%n", plan.stateBytes(),
                    (double) plan.stateBytes() / layout.totalCount());
            return 0;
        }
    }

    /** {@code optbench optim memory}: optimizer-state bytes of every optimizer on a model. */
    @Command(name = "memory", mixinStandardHelpOptions = true,
            description = "Bytes of optimizer state per parameter for every optimizer and hybrid on a model preset.")
    static final class Memory implements Callable<Integer> {

        @Option(names = "--preset", defaultValue = "150m", description = "model preset (default ${DEFAULT-VALUE})")
        String preset;

        @Option(names = "--json", description = "one JSON object per line")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ParameterLayout layout = new ParameterLayout(ModelPresets.get(preset).config());
            PrintWriter out = spec.commandLine().getOut();
            if (!json) {
                out.printf("optimizer state on %s (%,d parameters, float32)%n", preset, layout.totalCount());
                out.printf("%-22s %16s %12s%n", "optimizer", "state bytes", "per param");
            }
            for (String name : GroupRules.names()) {
                Optimizer plan = StateAccounting.plan(GroupRules.named(name).resolve(layout.specs(), Map.of()), layout);
                double perParam = (double) plan.stateBytes() / layout.totalCount();
                if (json) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("optimizer", name);
                    line.put("preset", preset);
                    line.put("parameters", layout.totalCount());
                    line.put("state_bytes", plan.stateBytes());
                    line.put("bytes_per_parameter", Math.round(perParam * 1000) / 1000.0);
                    out.println(Json.line(line));
                } else {
                    out.printf("%-22s %,16d %12.3f%n", name, plan.stateBytes(), perParam);
                }
            }
            return 0;
        }
    }
}
