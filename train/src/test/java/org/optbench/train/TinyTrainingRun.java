package org.optbench.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.optbench.kernels.Backend;
import org.optbench.model.ModelConfig;
import org.optbench.model.Transformer;
import org.optbench.optim.GroupRules;
import org.optbench.optim.LrSchedule;
import org.optbench.optim.Optimizer;
import org.optbench.train.data.SequentialBatches;
import org.optbench.train.data.SyntheticTokens;

/**
 * A short seeded training run of a small model on a synthetic Markov chain, for tests that
 * compare runs: the same arguments give the same run on any backend. SGD gets lr 0.1, every other
 * optimizer 3e-3, with the paper's schedule.
 */
final class TinyTrainingRun {

    private TinyTrainingRun() {
    }

    /**
     * Trains {@code config} (batch {@code batch}) for {@code steps} steps with {@code optimizer}
     * and returns every step's record.
     */
    static List<StepRecord> train(Backend backend, String optimizer, ModelConfig config, int batch, int steps,
                                  int warmup, long initSeed, int branching, long dataSeed) {
        Transformer model = new Transformer(config, batch, backend);
        model.initialize(initSeed);
        Optimizer opt = new Optimizer(backend, GroupRules.named(optimizer).resolve(model.layout().specs(),
                Map.of("lr", optimizer.equals("sgd") ? 0.1 : 3e-3)), model.parameters(), model.gradients(),
                LrSchedule.paper(warmup, steps));
        SyntheticTokens tokens = new SyntheticTokens(config.vocabSize(), branching, 100_000, dataSeed);
        List<StepRecord> records = new ArrayList<>();
        new TrainingLoop(model, opt, new SequentialBatches(tokens, batch, config.seqLen()), 1.0, 100)
                .run(1, steps, records::add);
        return records;
    }
}
