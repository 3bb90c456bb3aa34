package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optbench.sweep.error.SweepSpecException;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.Points;
import org.optbench.sweep.trial.Trial;

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
        List<Trial> trials = SweepExpander.expand(spec);
        assertEquals((3 * 2 + 2 * 2) * 2, trials.size());
        assertEquals("adamw", trials.get(0).optimizer());
        assertEquals(Map.of("lr", "1.0E-4", "warmup", "0.05"), Points.texts(trials.get(0).point()));
        assertEquals("{\"lr\":\"1.0E-4\",\"warmup\":\"0.05\"}", trials.get(0).point().storeText(), "as every version stored it");
        assertEquals("adamw {lr=1.0E-4, warmup=0.05} seed=0", trials.get(0).key());
        assertEquals(1.0e-4, trials.get(0).point().number("lr"));
        assertEquals(1, trials.get(1).seed());
        Trial lion = trials.get(12);
        assertEquals("lion", lion.optimizer());
        assertEquals("0.99", lion.point().get("beta2").text());
        assertEquals(List.of(0, 1, 2), trials.subList(0, 3).stream().map(Trial::index).toList());
        assertEquals(trials.size(), trials.stream().map(Trial::key).distinct().count(), "keys identify points");
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
        List<Trial> a = SweepExpander.expand(SweepSpecParser.parse(text, "r.yaml"));
        List<Trial> b = SweepExpander.expand(SweepSpecParser.parse(text, "r.yaml"));
        assertEquals(10, a.size());
        assertEquals(a, b);
        for (Trial t : a) {
            double lr = t.point().number("lr");
            assertTrue(lr >= 1e-5 && lr <= 1e-1, t.toString());
            assertEquals(t.point(), Point.parse(t.point().storeText()), "a drawn value reads back equal from its text");
        }
        List<Trial> c = SweepExpander.expand(SweepSpecParser.parse(text.replace("random_seed: 7", "random_seed: 8"), "r.yaml"));
        assertNotEquals(a.get(0).point().number("lr"), c.get(0).point().number("lr"));
    }

    /** Every spec under examples/, its sub-directories included. */
    private static List<java.nio.file.Path> examples() throws Exception {
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("..", "examples"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyShippedExampleIsValid() throws Exception {
        Map<String, Integer> sizes = new java.util.TreeMap<>();
        for (java.nio.file.Path f : examples()) {
            SweepSpec spec = SweepSpecParser.parse(java.nio.file.Files.readString(f), f.toString());
            sizes.put(f.getFileName().toString(), SweepExpander.expand(spec).size());
            assertTrue(spec.maxTrialCount() <= 10_000, f + ": " + spec.maxTrialCount());
            System.out.printf("%-28s %4d trials (at most %d with refine and extend_edges), %d claims%n", f.getFileName(),
                    spec.trialCount(), spec.maxTrialCount(), spec.analysis().claims().size());
        }
        assertEquals(Map.ofEntries(Map.entry("adaptivity.yaml", 24), Map.entry("paper-150m-lr.yaml", 54),
                Map.entry("paper-lr.yaml", 72), Map.entry("paper-momentum.yaml", 35), Map.entry("quick.yaml", 12),
                Map.entry("portability.yaml", 8), Map.entry("own-study.yaml", 36), Map.entry("01-lr-stability.yaml", 63),
                Map.entry("02-signum-vs-adam.yaml", 35), Map.entry("03-adaptivity.yaml", 30),
                Map.entry("04-robustness.yaml", 290)), sizes);
    }

    @Test
    void thePapersFourStudiesShareOneMarginPolicy() throws Exception {
        java.util.Set<org.optbench.sweep.analysis.MarginPolicy> policies = new java.util.HashSet<>();
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(java.nio.file.Path.of("..",
                "examples", "paper"))) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                policies.add(SweepSpecParser.parse(java.nio.file.Files.readString(f), f.toString()).analysis().margin());
            }
        }
        assertEquals(1, policies.size(), "one margin policy for all four: " + policies);
        assertTrue(!policies.iterator().next().isNone());
    }

    @Test
    void everyShippedCpuExampleValidatesOnALaptopSizedHeap() throws Exception {
        for (java.nio.file.Path f : examples()) {
            SweepSpec spec = SweepSpecParser.parse(java.nio.file.Files.readString(f), f.toString());
            if (!spec.usesDefaultCorpus()) {
                continue;   // paper-150m-lr reads prepared C4 and runs on a GPU
            }
            assertEquals(spec.trialCount(), SweepValidator.validate(spec, 10_000, spec::run, context()).size(), f.toString());
        }
    }

    @Test
    void badSpecsAreExplainedWhenParsed() {
        assertMessage("name: x\nsteps: 5\nparameters: {optimizer: [adamw\n", "x.yaml:3:");
        assertMessage("name: x\nstep: 5\nparameters: {optimizer: {values: [adamw]}}\n", "unknown key 'step'");
        assertMessage("name: x\nsteps: 5\nparameters: {optimizer: {values: [adam]}}\n", "unknown optimizer 'adam'");
        assertMessage("name: x\nsteps: 5\nparameters: {optimizer: {values: [adamw]}, colour: {value: 1}}\n",
                "unknown setting 'colour'");
        assertMessage("name: x\nsteps: 5\nparameters: {optimizer: {values: [adamw]}, lr: {value: fast}}\n",
                "invalid lr 'fast': not a number");
        assertMessage("name: x\nparameters: {optimizer: {values: [adamw]}}\n", "give steps, tokens or tokens_per_param");
        assertMessage("name: x\nsteps: 5\nmethod: random\nparameters: {optimizer: {values: [adamw]}}\n", "run_cap");
        assertMessage("name: x\nsteps: 5\nparameters: {optimizer: {values: [adamw]}, lr: {min: 1, max: 2}}\n",
                "method: random");
        assertMessage("name: bad name\nsteps: 5\nparameters: {optimizer: {values: [adamw]}}\n", "name 'bad name'");
        assertMessage("name: x\nsteps: 5\nseeds: [1e30]\nparameters: {optimizer: {values: [adamw]}}\n",
                "seeds 1.0E30 is not a whole number");
        assertMessage("name: x\nsteps: 5\nbatch: many\nparameters: {optimizer: {values: [adamw]}}\n",
                "batch 'many' is not a number");
        assertMessage("name: x\nsteps: 5\ntrain: {metrics_out: /tmp/m.jsonl}\nparameters: {optimizer: {values: [adamw]}}\n",
                "set by the sweep for each trial");
        assertMessage("name: x\nsteps: 5\ntrain: {lr: 0.1}\nparameters: {optimizer: {values: [adamw]}}\n",
                "is a hyperparameter");
        assertMessage("name: x\nsteps: 5\nparallel: two\nparameters: {optimizer: {values: [adamw]}}\n",
                "parallel 'two' is not a number");
    }

    @Test
    void everyPointIsValidatedAgainstTheModelDataAndHeap() {
        assertInvalid("name: x\nsteps: 5\nparameters: {optimizer: {values: [adamw]}, momentum: {value: 0.9}}\n",
                "'momentum' is not used by any group");
        assertInvalid("name: x\nsteps: 5\nparameters: {optimizer: {values: [adamw]}, lr: {value: -1}}\n", "invalid lr -1");
        assertInvalid("name: x\nsteps: 5\nmodel: {preset: nano, heads: 3}\nparameters: {optimizer: {values: [adamw]}}\n",
                "n_heads (3)");
        assertInvalid("name: x\nsteps: 5\nparameters: {optimizer: {adamw: {lr: {values: [0.1, 1.0]}}}, batch: {values: [16, 0]}}\n",
                "trial adamw lr=0.1 batch=0: batch 0: must be a whole number in [1,");
        assertInvalid("name: x\nsteps: 5\ndata: synthetic\ntrain: {eval_tokens: 1.0e12}\n"
                + "parameters: {optimizer: {values: [adamw]}}\n", "eval_tokens 1,000,000,000,000: more than the");
        assertInvalid("name: x\nsteps: 5\nmodel: {preset: 1.2b}\nparameters: {optimizer: {values: [adamw]}}\n",
                "memory: preset 1.2b");
    }

    @Test
    void aHugeGridIsRefusedByItsCountWithoutExpandingIt() {
        StringBuilder grid = new StringBuilder("name: huge\nsteps: 5\nparameters:\n  optimizer: {values: [adamw]}\n");
        for (String key : List.of("lr", "beta1", "beta2", "eps", "wd", "warmup", "clip", "z_loss")) {
            grid.append("  ").append(key).append(": {values: [");
            for (int i = 0; i < 10; i++) {
                grid.append(i == 0 ? "" : ", ").append("0.0").append(i + 1);
            }
            grid.append("]}\n");
        }
        long start = System.nanoTime();
        SweepSpec spec = SweepSpecParser.parse(grid.toString(), "huge.yaml");
        assertEquals(100_000_000L, spec.trialCount());
        SweepSpecException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> assertThrows(
                SweepSpecException.class, () -> SweepValidator.validate(spec, 10_000, spec::run, context())));
        System.out.printf("a 10^8-point grid parsed, counted and refused in %.1f ms%n", (System.nanoTime() - start) / 1e6);
        assertTrue(e.getMessage().contains("100,000,000 trials") && e.getMessage().contains("--max-trials"), e.getMessage());
        String random = "name: r\nmethod: random\nrun_cap: 20000\nsteps: 5\nseeds: [0, 1]\n"
                + "parameters: {optimizer: {values: [adamw, lion]}, lr: {min: 1.0e-5, max: 1.0, distribution: log_uniform_values}}\n";
        SweepSpec r = SweepSpecParser.parse(random, "r.yaml");
        assertEquals(80_000L, r.trialCount());
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepValidator.validate(r, 10_000, r::run, context()))
                .getMessage().contains("lower run_cap"));
    }

    @Test
    void validationChecksEachPointOnceAndReturnsTheExpansionItWalked() {
        SweepSpec spec = SweepSpecParser.parse(PAPER_STYLE, "lr-grid.yaml");
        List<Trial> all = SweepExpander.expand(spec);
        assertEquals(all.size(), spec.trialCount());
        List<Trial> checked = new java.util.ArrayList<>();
        List<Trial> validated = SweepValidator.validate(spec, 10_000, t -> {
            checked.add(t);
            return spec.run(t);
        }, context());
        assertEquals(all, validated, "the store gets the expansion validation walked");
        assertEquals(all.size() / 2, checked.size(), "one run per point, seeds aside");
        assertEquals(all.stream().filter(t -> t.seed() == 0).toList(), checked);
    }

    @Test
    void aPointBecomesTheRunItsWorkerTrains() {
        SweepSpec spec = SweepSpecParser.parse(PAPER_STYLE, "lr-grid.yaml");
        Trial lion = SweepExpander.expand(spec).get(12);
        var run = spec.run(lion);
        Trial stored = new Trial(lion.index(), lion.optimizer(), Point.parse(lion.point().storeText()), lion.seed());
        assertEquals(run, spec.run(stored), "the stored point gives the same run");
        assertEquals("lion", run.optimizer().name());
        assertEquals(Map.of("lr", 1.0e-5, "beta2", 0.99), run.optimizer().hyperparameters());
        assertEquals(0.05, run.training().warmup());
        assertEquals(20, run.training().steps());
        assertEquals(org.optbench.train.run.DataSpec.Source.SYNTHETIC, run.data().source());
        assertEquals(0L, run.seed());
        assertEquals(SweepSpec.CHECKPOINTS_PER_TRIAL, run.checkpoint().perRun());
        assertEquals(run, org.optbench.train.run.RunSpec.fromJson(run.toJson(), "round trip"));
    }

    static org.optbench.train.run.RunContext context() {
        return new org.optbench.train.run.RunContext(4L << 30, "give it more heap",
                new org.optbench.train.data.LocalDataCatalog(java.nio.file.Path.of("target", "no-data")));
    }

    private static void assertInvalid(String text, String fragment) {
        SweepSpec spec = SweepSpecParser.parse(text, "x.yaml");
        SweepSpecException e = assertThrows(SweepSpecException.class,
                () -> SweepValidator.validate(spec, 10_000, spec::run, context()));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static void assertMessage(String text, String fragment) {
        SweepSpecException e = assertThrows(SweepSpecException.class, () -> SweepSpecParser.parse(text, "x.yaml"));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
