package org.optbench.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code optbench} command line, with the exit codes of {@link ExitCodes}; {@code --debug}
 * anywhere on the line adds stack traces.
 */
@Command(name = "optbench", mixinStandardHelpOptions = true, version = "optbench 0.1.0",
        description = "Train transformer language models with the optimizers of the study and measure them.",
        subcommands = {StudyCommand.class, DashboardCommand.class, SweepCommand.class, ResultsCommand.class, AnalyzeCommand.class, WeightsCommand.class, ReportCommand.class, ServerCommand.class, ServerBenchCommand.class, TrainCommand.class, DataCommand.class, WorkerCommand.class, ForwardCommand.class, BenchCommand.class, DevicesCommand.class, OptimCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static final int EXIT_BAD_INPUT = ExitCodes.BAD_INPUT;
    public static final int EXIT_INTERNAL = ExitCodes.INTERNAL;
    public static final int EXIT_INTERRUPTED = ExitCodes.INTERRUPTED;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command line with the given output streams and returns the exit code. */
    public static int run(String[] rawArgs, PrintWriter out, PrintWriter err) {
        boolean debug = java.util.Arrays.asList(rawArgs).contains("--debug");
        String[] args = java.util.Arrays.stream(rawArgs).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        return ExitCodes.handling(cli, debug).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
