package org.optbench.train.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optbench.optim.LrSchedule;
import org.optbench.train.data.LocalDataCatalog;

/**
 * The typed run spec: every key of the registry sets its own part of the spec, a spec survives
 * its JSON round trip unchanged, and validation names each bad setting with its value, range and
 * fix, all of them at once.
 */
class RunSpecTest {

    /** A value for every key, as a flag or a file would give it. */
    private static final Map<String, Object> EVERY_KEY = new LinkedHashMap<>();

    static {
        EVERY_KEY.put("preset", "micro");
        EVERY_KEY.put("vocab", 9000);
        EVERY_KEY.put("d_model", "96");
        EVERY_KEY.put("layers", 3);
        EVERY_KEY.put("heads", 3);
        EVERY_KEY.put("seq_len", 48);
        EVERY_KEY.put("qk_norm", "false");
        EVERY_KEY.put("train_norms", false);
        EVERY_KEY.put("init_weights", "w.safetensors");
        EVERY_KEY.put("data", "prepared/dir");
        EVERY_KEY.put("tokens", "2e6");
        EVERY_KEY.put("tokens_per_param", 10);
        EVERY_KEY.put("batch_order", "sequential");
        EVERY_KEY.put("batch", 32);
        EVERY_KEY.put("micro_batch", 8);
        EVERY_KEY.put("steps", 77);
        EVERY_KEY.put("optimizer", "lion");
        EVERY_KEY.put("groups", List.of(Map.of("name", "all", "rest", true, "optimizer", "sgd")));
        EVERY_KEY.put("lr", "3e-4");
        EVERY_KEY.put("lr_last", 0.01);
        EVERY_KEY.put("momentum", 0.5);
        EVERY_KEY.put("nesterov", "true");
        EVERY_KEY.put("beta1", 0.8);
        EVERY_KEY.put("beta2", 0.9);
        EVERY_KEY.put("eps", 1e-8);
        EVERY_KEY.put("tie_betas", true);
        EVERY_KEY.put("neuron_only", true);
        EVERY_KEY.put("vector_mode", "scalar");
        EVERY_KEY.put("bias_correction", "first");
        EVERY_KEY.put("t_freeze", 100);
        EVERY_KEY.put("rho", 0.05);
        EVERY_KEY.put("hessian_interval", 5);
        EVERY_KEY.put("wd", 0.1);
        EVERY_KEY.put("wd_mode", "paper");
        EVERY_KEY.put("schedule", "wsd");
        EVERY_KEY.put("warmup", 0.05);
        EVERY_KEY.put("clip", 0.5);
        EVERY_KEY.put("z_loss", "0");
        EVERY_KEY.put("seed", 12);
        EVERY_KEY.put("eval_tokens", 4096);
        EVERY_KEY.put("eval_points", 3);
        EVERY_KEY.put("eval_steps", "5,9");
        EVERY_KEY.put("divergence_threshold", 12);
        EVERY_KEY.put("device", "opencl:0:0");
        EVERY_KEY.put("threads", 3);
        EVERY_KEY.put("log_every", 5);
        EVERY_KEY.put("metrics_out", "m.jsonl");
        EVERY_KEY.put("result_out", "r.json");
        EVERY_KEY.put("save_weights", "w2.safetensors");
        EVERY_KEY.put("checkpoint_every", 20);
        EVERY_KEY.put("checkpoint_dir", "ckpt");
        EVERY_KEY.put("resume", "ckpt-old");
    }

    @Test
    void everyKeyOfTheRegistrySetsItsOwnPartOfTheSpec() {
        assertEquals(EVERY_KEY.keySet(), RunKeys.all().stream().map(RunKeys.Key::name)
                .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new)), "a value for every key");
        RunSpec defaults = RunSpec.builder().build();
        for (Map.Entry<String, Object> e : EVERY_KEY.entrySet()) {
            RunSpec.Builder b = RunSpec.builder();
            if (e.getKey().equals("momentum") || e.getKey().equals("nesterov")) {
                b.optimizer("sgd");
            }
            RunSpec one = RunKeys.applyAll(b, Map.of(e.getKey(), e.getValue())).build();
            assertNotEquals(defaults, one, e.getKey() + " changes the spec");
        }
        RunSpec s = RunKeys.applyAll(RunSpec.builder(), Map.of("d_model", "96", "tokens", "2e6", "lr", "3e-4", "z_loss", "0",
                "eval_steps", "5,9", "nesterov", "true")).build();
        assertEquals(96, s.model().dModel());
        assertEquals(2_000_000L, s.training().tokens());
        assertEquals(3e-4, s.optimizer().hyperparameters().get("lr"));
        assertEquals(0f, s.training().zLoss());
        assertEquals(List.of(5, 9), s.eval().steps());
        assertEquals(true, s.optimizer().hyperparameters().get("nesterov"));
        RunSpec file = RunKeys.applyAll(RunSpec.builder(), Map.of("tokens", "batches.npy")).build();
        assertEquals(DataSpec.Source.TOKEN_FILE, file.data().source());
        assertEquals(Path.of("batches.npy"), file.data().path());
    }

    @Test
    void aSpecSurvivesItsJsonRoundTrip() {
        Map<String, Object> all = new LinkedHashMap<>(EVERY_KEY);
        all.remove("groups");
        all.remove("tokens");
        all.remove("momentum");
        all.remove("nesterov");
        RunSpec spec = RunKeys.applyAll(RunSpec.builder(), all).build();
        String json = spec.toJson();
        assertEquals(spec, RunSpec.fromJson(json, "test"));
        assertTrue(json.contains("\"d_model\":96") && json.contains("\"batch_order\":\"sequential\"")
                && json.contains("\"schedule\":\"wsd\"") && json.contains("\"metrics\":\"m.jsonl\""), json);
        RunSpec rules = RunKeys.applyAll(RunSpec.builder(), Map.of("groups", EVERY_KEY.get("groups"), "lr", 0.1)).build();
        assertEquals(rules, RunSpec.fromJson(rules.toJson(), "test"));
        assertEquals(LrSchedule.Kind.PAPER, RunSpec.fromJson("{}", "test").optimizer().schedule(), "defaults fill in");
        RunSpecException bad = assertThrows(RunSpecException.class,
                () -> RunSpec.fromJson("{\"optimizer\": {\"name\": \"adam\"}}", "trial.json"));
        assertTrue(bad.getMessage().startsWith("trial.json: not a valid RunSpec: unknown optimizer 'adam'"), bad.getMessage());
    }

    @Test
    void theCorpusInTheStudyRegimesTokenizationIsItsOwnDataSet() {
        RunSpec study = RunKeys.applyAll(RunSpec.builder(), Map.of("data", "sotu-512", "preset", "study")).build();
        assertEquals(DataSpec.Source.DEFAULT, study.data().source());
        assertEquals(DataSpec.Tokenization.SOTU_512, study.data().corpusTokenization());
        assertEquals("sotu-512", study.data().label());
        assertEquals(study, RunSpec.fromJson(study.toJson(), "test"));
        assertTrue(study.toJson().contains("\"tokenization\":\"sotu-512\""), study.toJson());
        for (String name : List.of("default", "sotu-8k")) {
            RunSpec plain = RunKeys.applyAll(RunSpec.builder(), Map.of("data", name)).build();
            assertEquals(DataSpec.defaults(), plain.data(), name + " is the default corpus as it always was");
            assertEquals("default", plain.data().label());
            assertTrue(!plain.toJson().contains("tokenization"), plain.toJson());
        }
        RunSpec prepared = RunKeys.applyAll(RunSpec.builder(), Map.of("data", "sotu-512")).build().toBuilder()
                .data(DataSpec.Source.PREPARED, Path.of("dir")).build();
        assertEquals(null, prepared.data().tokenization(), "naming other data drops the corpus's tokenization");
        RunSpecException mixed = assertThrows(RunSpecException.class,
                () -> new DataSpec(DataSpec.Source.SYNTHETIC, null, null, DataSpec.Tokenization.SOTU_512));
        assertTrue(mixed.getMessage().contains("sotu-512") && mixed.getMessage().contains("synthetic"), mixed.getMessage());
    }

    @Test
    void typesAreCheckedWhereValuesEnter() {
        assertMessage("batch", "many", "batch 'many' is not a number; give a whole number");
        assertMessage("batch", 2.5, "batch 2.5 is not a whole number");
        assertMessage("seed", "1e30", "seed 1e30 is not a whole number");
        assertMessage("steps", 3_000_000_000L, "steps 3000000000 is out of range");
        assertMessage("lr", "fast", "invalid lr 'fast': not a number");
        assertMessage("batch_order", "random", "batch_order 'random' must be one of [shuffled, sequential]");
        assertMessage("schedule", "cosine", "unknown schedule 'cosine'");
        assertMessage("colour", 1, "unknown setting 'colour'; valid keys: [preset,");
    }

    private static void assertMessage(String key, Object value, String fragment) {
        RunSpecException e = assertThrows(RunSpecException.class, () -> RunKeys.apply(RunSpec.builder(), key, value));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static RunContext context(long heap) {
        return new RunContext(heap, "give it more heap", new LocalDataCatalog(Path.of("target", "no-data-here")));
    }

    private static RunSpecException invalid(Map<String, Object> settings, long heap) {
        RunSpec spec = RunKeys.applyAll(RunSpec.builder(), settings).build();
        return assertThrows(RunSpecException.class, () -> spec.validate(context(heap)));
    }

    @Test
    void validationNamesEveryBadSettingWithItsRangeAndFix() {
        RunSpecException fields = invalid(Map.of("data", "synthetic", "batch", 0, "steps", -1, "eval_tokens", 0,
                "warmup", -5, "clip", -1, "device", "cuda", "threads", 0), 1L << 32);
        assertEquals(7, fields.problems().size(), fields.getMessage());
        for (String f : List.of("batch 0: must be a whole number in [1, 1,048,576] (sequences per optimizer step); set batch",
                "steps -1: must be", "eval_tokens 0: must be", "warmup -5.0: must be", "clip -1.0: must be a finite number >= 0",
                "device 'cuda' is unknown: use cpu, opencl or opencl:P:D", "threads 0: must be")) {
            assertTrue(fields.getMessage().contains(f), f + " in " + fields.getMessage());
        }
        assertTrue(invalid(Map.of("data", "synthetic", "steps", 10, "batch", 16, "micro_batch", 7), 1L << 32).getMessage()
                .contains("micro_batch 7: must divide batch 16 (gradients accumulate over batch / micro_batch passes); set "
                        + "micro_batch to a divisor of 16, e.g. 4"));
        assertTrue(invalid(Map.of("data", "synthetic", "steps", 10, "warmup", 20), 1L << 32).getMessage()
                .contains("warmup 20.0: a count of warmup steps must be a whole number in [1, 10]"));
        assertTrue(invalid(Map.of("steps", 10, "eval_tokens", 200_000), 1L << 32).getMessage()
                .contains("eval_tokens 200,000: more than the 102,800 tokens of the validation split of data default; set "
                        + "eval_tokens to at most 102,800"));
        assertTrue(invalid(Map.of("data", "synthetic", "steps", 100_000, "batch", 4096, "seq_len", 4096), 1L << 40)
                .getMessage().contains("tokens: more than the limit of 1e+12 tokens"));
        RunSpecException memory = invalid(Map.of("data", "synthetic", "steps", 10, "preset", "mini"), 64L << 20);
        assertTrue(memory.getMessage().startsWith("memory: preset mini (8,919,296 parameters, d_model 256, layers 6, "
                + "seq_len 256) at micro_batch 16 with adamw needs about"), memory.getMessage());
        assertTrue(memory.getMessage().endsWith("lower micro_batch or seq_len, choose a smaller model, or give it more heap"),
                memory.getMessage());
        assertTrue(invalid(Map.of("data", "synthetic", "optimizer", "adamw", "momentum", 0.9, "steps", 5), 1L << 32)
                .getMessage().contains("optimizer adamw: hyperparameter 'momentum' is not used by any group"));
        assertTrue(invalid(Map.of("data", "synthetic", "preset", "P1"), 1L << 32).getMessage()
                .contains("steps: preset P1 is a benchmark shape with no step count; give steps or tokens"));
    }

    @Test
    void aValidSpecResolvesToItsPlan() {
        RunSpec spec = RunKeys.applyAll(RunSpec.builder(), Map.of("data", "synthetic", "tokens", 10_000, "batch", 8,
                "micro_batch", 4, "seq_len", 32, "warmup", 0.25, "checkpoint_every", 0)).build();
        RunPlan plan = spec.validate(context(1L << 32));
        assertEquals(40, plan.steps(), "ceil(10,000 / (8 x 32))");
        assertEquals(10, plan.warmup());
        assertEquals(4, plan.microBatch());
        assertEquals(8192, plan.model().vocabSize(), "synthetic data: the preset's vocabulary");
        assertEquals(0, plan.checkpointInterval());
        RunPlan quarters = spec.toBuilder().checkpointsPerRun(4).build().validate(context(1L << 32));
        assertEquals(10, quarters.checkpointInterval());
    }

    @Test
    void aBudgetPerParameterCountsAllButTheEmbeddingsAndQkNormCanBeOff() {
        RunSpec spec = RunKeys.applyAll(RunSpec.builder(), Map.of("data", "synthetic", "tokens_per_param", 2, "batch", 8,
                "seq_len", 32, "qk_norm", false)).build();
        RunPlan plan = spec.validate(context(1L << 32));
        assertEquals(false, plan.model().qkNorm());
        org.optbench.model.ParameterLayout layout = new org.optbench.model.ParameterLayout(plan.model());
        long nonEmbedding = layout.totalCount() - 2L * plan.model().vocabSize() * plan.model().dModel();
        assertEquals(nonEmbedding, layout.nonEmbeddingCount(), "the token embedding and the LM head are left out");
        assertEquals((long) Math.ceil(2.0 * nonEmbedding / (8 * 32)), plan.steps());
        RunPlan withNorm = spec.toBuilder().qkNorm(null).build().validate(context(1L << 32));
        assertEquals(true, withNorm.model().qkNorm(), "on unless turned off");
        assertEquals(2L * plan.model().nLayers() * plan.model().dModel(),
                new org.optbench.model.ParameterLayout(withNorm.model()).totalCount() - layout.totalCount(),
                "q_norm and k_norm weights per block");
        assertTrue(invalid(Map.of("data", "synthetic", "tokens_per_param", 2, "steps", 5), 1L << 32).getMessage()
                .contains("give one length, not several"));
    }
}
