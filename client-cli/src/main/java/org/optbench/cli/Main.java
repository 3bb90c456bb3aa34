package org.optbench.cli;

import java.io.PrintWriter;
import org.optbench.kernels.KernelException;
import org.optbench.model.ModelConfigException;
import org.optbench.model.io.SafetensorsException;
import org.optbench.optim.HyperparameterException;
import org.optbench.train.data.TokenFileException;
import org.optbench.train.spec.RunSpecException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code optbench} command line. Exit codes: 0 success (a diverged training run is a
 * success: divergence is a result), 2 bad input (usage errors, unreadable or mismatched files,
 * invalid hyperparameters, and server answers INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS or
 * FAILED_PRECONDITION; a one-line message says what to change), 3 authentication or permission
 * refused by a server, 4 server unreachable or deadline passed, 5 a server limit reached, 1 an
 * unexpected internal error. {@code --debug} anywhere on the line adds stack traces.
 */
@Command(name = "optbench", mixinStandardHelpOptions = true, version = "optbench 0.1.0",
        description = "Train transformer language models with the optimizers of the study and measure them.",
        subcommands = {StudyCommand.class, SweepCommand.class, ResultsCommand.class, WeightsCommand.class, ReportCommand.class, ServerCommand.class, ServerBenchCommand.class, TrainCommand.class, DataCommand.class, WorkerCommand.class, ForwardCommand.class, BenchCommand.class, DevicesCommand.class, OptimCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_INTERNAL = 1;
    /**
     * A study stopped by Ctrl-C: 128 + SIGINT, as shells report it (the JVM itself exits with 128 +
     * the signal, so SIGTERM gives 143).
     */
    public static final int EXIT_INTERRUPTED = 130;

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
        cli.setParameterExceptionHandler((e, params) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println("error: " + e.getMessage() + UsageHints.of(e) + " (see '"
                    + command.getCommandSpec().qualifiedName() + " --help')");
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (InterruptHook.interrupted()) {
                return EXIT_INTERRUPTED;
            }
            if (debug) {
                e.printStackTrace(commandLine.getErr());
            }
            if (e instanceof io.grpc.StatusRuntimeException status) {
                commandLine.getErr().println(org.optbench.cli.remote.RemoteErrors.message(status));
                return org.optbench.cli.remote.RemoteErrors.exitCode(status);
            }
            if (e instanceof java.nio.file.NoSuchFileException missing) {
                commandLine.getErr().println("error: no such file: " + missing.getFile());
                return EXIT_BAD_INPUT;
            }
            if (isBadInput(e)) {
                commandLine.getErr().println("error: " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
            commandLine.getErr().println("internal error: " + e + (debug ? "" : " (run with --debug for the stack trace)"));
            return EXIT_INTERNAL;
        });
        return cli.execute(args);
    }

    private static boolean isBadInput(Exception e) {
        return e instanceof org.optbench.sweep.store.StoreException || e instanceof ModelConfigException || e instanceof SafetensorsException
                || e instanceof RunSpecException
                || e instanceof TokenFileException || e instanceof HyperparameterException
                || e instanceof KernelException || e instanceof IllegalArgumentException
                || e instanceof java.nio.file.NoSuchFileException;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
