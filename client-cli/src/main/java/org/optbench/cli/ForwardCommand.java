package org.optbench.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.optbench.kernels.Backend;
import org.optbench.model.LossValue;
import org.optbench.model.ModelConfig;
import org.optbench.model.Transformer;
import org.optbench.model.io.ModelWeights;
import org.optbench.model.io.SafetensorsFile;
import org.optbench.model.io.ShapeOverrides;
import org.optbench.train.data.ExplicitBatches;
import org.optbench.train.data.NpyArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code optbench forward}: the loss and gradients of one explicit batch for given weights, so
 * other frameworks can check their numbers against optbench's (as llm.c does against PyTorch).
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Loss and gradient norm of one batch for given weights; prints one JSON line.")
final class ForwardCommand implements Callable<Integer> {

    @Option(names = "--weights", required = true, description = "safetensors file of the model's parameters")
    Path weights;

    @Option(names = "--tokens", required = true, description = "int32/uint16 .npy of explicit batches, shape (N, B, T+1)")
    Path tokens;

    @Option(names = "--batch-index", defaultValue = "0", description = "which batch (row of --tokens) to use (default ${DEFAULT-VALUE})")
    long batchIndex;

    @Option(names = "--grads-out", description = "write every gradient, by parameter name, to this safetensors file")
    Path gradsOut;

    @Option(names = "--z-loss", defaultValue = "1e-4", description = "z-loss coefficient; 0 turns it off (default ${DEFAULT-VALUE})")
    float zLoss;

    @Option(names = "--vocab-size", description = "override the weights' vocab_size")
    Integer vocabSize;

    @Option(names = "--d-model", description = "override the weights' d_model")
    Integer dModel;

    @Option(names = "--n-layers", description = "override the weights' n_layers")
    Integer nLayers;

    @Option(names = "--n-heads", description = "override the weights' n_heads")
    Integer nHeads;

    @Option(names = "--seq-len", description = "must equal the tokens' T when given")
    Integer seqLen;

    @Mixin
    DeviceOptions compute;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ExplicitBatches batches = new ExplicitBatches(NpyArray.open(tokens));
        if (seqLen != null && seqLen != batches.seqLen()) {
            throw new IllegalArgumentException("--seq-len " + seqLen + " does not match the tokens' T = "
                    + batches.seqLen() + " (shape (N, B, T+1) of " + tokens + ")");
        }
        int n = batches.batchSize() * batches.seqLen();
        int[] inputs = new int[n];
        int[] targets = new int[n];
        batches.batch(batchIndex, inputs, targets);
        SafetensorsFile file = SafetensorsFile.read(weights);
        ShapeOverrides overrides = new ShapeOverrides(vocabSize, dModel, nLayers, nHeads, batches.seqLen());
        ModelConfig config = ModelWeights.config(file, overrides, zLoss);
        try (Backend backend = compute.backend()) {
            Transformer model = new Transformer(config, batches.batchSize(), backend);
            ModelWeights.load(file, model);
            model.zeroGradients();
            LossValue loss = model.forward(inputs, targets);
            model.backward();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("loss", loss.loss());
            out.put("ce", loss.ce());
            out.put("z_loss", loss.zLoss());
            out.put("grad_norm", model.gradientNorm());
            spec.commandLine().getOut().println(Json.line(out));
            if (gradsOut != null) {
                ModelWeights.saveGradients(gradsOut, model);
            }
        }
        return 0;
    }
}
