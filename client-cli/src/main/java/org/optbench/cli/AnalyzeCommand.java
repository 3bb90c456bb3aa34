package org.optbench.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.optbench.sweep.TableAnalysis;
import org.optbench.sweep.analysis.AnalysisSpec;
import org.optbench.sweep.analysis.Findings;
import org.optbench.sweep.report.FindingsText;
import org.optbench.sweep.report.ReportWriter;
import org.optbench.sweep.report.RunTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code optbench analyze FILE --spec SPEC [-o DIR]}: the findings of a table of runs (CSV or JSON
 * Lines, one row per run, from {@code results --format csv} or any other tool) under a spec's
 * {@code analysis} and {@code claims}, without training: the optimizer table and the claims as a
 * study prints them, and with {@code -o} the study's {@code summary.json}, plots and report.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, description = "Judge a table of runs (CSV or JSON Lines) "
        + "under a spec's analysis and claims, without training.")
final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "runs, one per row: optimizer, seed, state, final_val_loss "
            + "and one column per setting (CSV, or JSON Lines ending in .jsonl)")
    Path table;

    @Option(names = "--spec", required = true, paramLabel = "SPEC", description = "a YAML file whose analysis and claims "
            + "keys are read (a full sweep spec works)")
    Path specFile;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "also write summary.json, the plots and report.html")
    Path out;

    @Option(names = "--vocab", defaultValue = "" + Findings.DEFAULT_VOCAB, description = "the vocabulary size, for the "
            + "worst-case loss ln(V) a divergence counts as (default ${DEFAULT-VALUE})")
    int vocab;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (vocab < 2) {
            throw new IllegalArgumentException("--vocab " + vocab + " must be at least 2: the worst-case loss is ln(V)");
        }
        RunTable.Read read = RunTable.read(table);
        if (read.runs().isEmpty()) {
            throw new IllegalArgumentException(table + ": no completed or diverged run to analyse" + (read.leftOutCount() > 0
                    ? " (" + read.leftOutCount() + " rows in other states: " + read.leftOut() + ")" : ""));
        }
        String specText = Files.readString(specFile);
        AnalysisSpec analysis = TableAnalysis.read(specText, specFile.toString(), read.runs());
        Findings f = Findings.of(read.runs(), analysis, vocab);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("%d runs from %s%s%n", read.runs().size(), table, read.leftOutCount() == 0 ? ""
                : "; left out " + read.leftOutCount() + " in other states " + read.leftOut());
        o.print(FindingsText.of(f));
        if (out != null) {
            String title = table.getFileName().toString();
            o.println("report: " + ReportWriter.write(title, specText, f, read.runs(), trial -> List.of(), out));
        }
        o.flush();
        return 0;
    }
}
