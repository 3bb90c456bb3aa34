package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepSpecTest {

    private static final String PAPER_STYLE = """
            name: lr-grid
            method: grid
            metric: {name: val_loss, goal: minimize}
            model: {preset: nano}
            data: synthetic
            steps: 20
            seeds: [0, 1]
            parallel: 2
            parameters:
              optimizer:
                adamw:
                  lr: {values: [1.0e-4, 3.16e-4, 1.0e-3]}
                lion:
                  lr: {values: [1.0e-5, 3.16e-5]}
                  beta2: {value: 0.99}
              warmup: {values: [0.05, 0.1]}
            """;

    @Test
    void eachOptimizerSweepsItsOwnGridTimesSharedParametersAndSeeds() {
        SweepSpec spec = SweepSpecParser.parse(PAPER_STYLE, "lr-grid.yaml");
        List<TrialSpec> trials = SweepExpander.expand(spec);
        assertEquals((3 * 2 + 2 * 2) * 2, trials.size());
        assertEquals("adamw", trials.get(0).optimizer());
        assertEquals(Map.of("lr", "1.0E-4", "warmup", "0.05"), trials.get(0).hyperparameters());
        assertEquals(1, trials.get(1).seed());
        TrialSpec lion = trials.get(12);
        assertEquals("lion", lion.optimizer());
        assertEquals("0.99", lion.hyperparameters().get("beta2"));
        assertEquals(List.of(0, 1, 2), trials.subList(0, 3).stream().map(TrialSpec::index).toList());
        assertEquals(trials.size(), trials.stream().map(TrialSpec::key).distinct().count(), "keys identify points");
    }

    @Test
    void randomSearchDrawsRunCapPointsPerOptimizerReproducibly() {
        String text = """
                name: rnd
                method: random
                run_cap: 5
                random_seed: 7
                steps: 10
                parameters:
                  optimizer: {values: [adamw, signum]}
                  lr: {min: 1.0e-5, max: 1.0e-1, distribution: log_uniform_values}
                  beta1: {values: [0.8, 0.9, 0.95]}
                """;
        List<TrialSpec> a = SweepExpander.expand(SweepSpecParser.parse(text, "r.yaml"));
        List<TrialSpec> b = SweepExpander.expand(SweepSpecParser.parse(text, "r.yaml"));
        assertEquals(10, a.size());
        assertEquals(a, b);
        for (TrialSpec t : a) {
            assertTrue(t.lr() >= 1e-5 && t.lr() <= 1e-1, t.toString());
        }
        List<TrialSpec> c = SweepExpander.expand(SweepSpecParser.parse(text.replace("random_seed: 7", "random_seed: 8"), "r.yaml"));
        assertNotEquals(a.get(0).lr(), c.get(0).lr());
    }

    @Test
    void everyShippedExampleIsValid() throws Exception {
        java.nio.file.Path examples = java.nio.file.Path.of("..", "examples");
        Map<String, Integer> sizes = new java.util.TreeMap<>();
        try (var files = java.nio.file.Files.list(examples)) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                SweepSpec spec = SweepSpecParser.parse(java.nio.file.Files.readString(f), f.toString());
                sizes.put(f.getFileName().toString(), SweepExpander.expand(spec).size());
            }
        }
        assertEquals(Map.of("adaptivity.yaml", 24, "paper-150m-lr.yaml", 45, "paper-lr.yaml", 72,
                "paper-momentum.yaml", 35, "quick.yaml", 12), sizes);
    }

    @Test
    void badSpecsAreExplained() {
        assertMessage("name: x\nsteps: 5\nparameters: {optimizer: [adamw\n", "x.yaml:3:");
        assertMessage("name: x\nstep: 5\nparameters: {optimizer: {values: [adamw]}}\n", "unknown key 'step'");
        assertMessage("name: x\nsteps: 5\nparameters: {optimizer: {values: [adam]}}\n", "unknown optimizer 'adam'");
        assertMessage("name: x\nsteps: 5\nparameters: {optimizer: {values: [adamw]}, momentum: {value: 0.9}}\n",
                "'momentum' is not used by any group");
        assertMessage("name: x\nsteps: 5\nparameters: {optimizer: {values: [adamw]}, lr: {value: -1}}\n", "invalid lr -1");
        assertMessage("name: x\nsteps: 5\nparameters: {optimizer: {values: [adamw]}, colour: {value: 1}}\n",
                "neither a hyperparameter");
        assertMessage("name: x\nparameters: {optimizer: {values: [adamw]}}\n", "give steps or tokens");
        assertMessage("name: x\nsteps: 5\nmethod: random\nparameters: {optimizer: {values: [adamw]}}\n", "run_cap");
        assertMessage("name: x\nsteps: 5\nparameters: {optimizer: {values: [adamw]}, lr: {min: 1, max: 2}}\n",
                "method: random");
        assertMessage("name: x\nsteps: 5\nmodel: {preset: nano, heads: 3}\nparameters: {optimizer: {values: [adamw]}}\n",
                "n_heads (3)");
        assertMessage("name: bad name\nsteps: 5\nparameters: {optimizer: {values: [adamw]}}\n", "name 'bad name'");
    }

    private static void assertMessage(String text, String fragment) {
        SweepSpecException e = assertThrows(SweepSpecException.class, () -> SweepSpecParser.parse(text, "x.yaml"));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
