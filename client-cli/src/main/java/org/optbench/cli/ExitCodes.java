package org.optbench.cli;

import org.optbench.kernels.KernelException;
import org.optbench.model.ModelConfigException;
import org.optbench.model.io.SafetensorsException;
import org.optbench.optim.hyperparameter.HyperparameterException;
import org.optbench.train.run.RunSpecException;
import org.optbench.train.text.TokenFileException;
import picocli.CommandLine;

/**
 * How every optbench program ends: its exit codes, and the handlers that turn a bad argument or a
 * failure into one line on stderr and its code. Exit codes: 0 success (a diverged training run is
 * a success: divergence is a result), 2 bad input (usage errors, unreadable or mismatched files,
 * invalid hyperparameters, and server answers INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS or
 * FAILED_PRECONDITION; the message says what to change), 3 authentication or permission refused by
 * a server, 4 server unreachable or deadline passed, 5 a server limit reached, 1 an unexpected
 * internal error. {@code --debug} adds stack traces.
 */
final class ExitCodes {

    static final int BAD_INPUT = 2;
    static final int INTERNAL = 1;
    /**
     * A study stopped by Ctrl-C: 128 + SIGINT, as shells report it (the JVM itself exits with 128 +
     * the signal, so SIGTERM gives 143).
     */
    static final int INTERRUPTED = 130;

    private ExitCodes() {
    }

    /** {@code cli} with the handlers that print one line per error and return its exit code. */
    static CommandLine handling(CommandLine cli, boolean debug) {
        cli.setParameterExceptionHandler((e, params) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println("error: " + e.getMessage() + UsageHints.of(e) + " (see '"
                    + command.getCommandSpec().qualifiedName() + " --help')");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (InterruptHook.interrupted()) {
                return INTERRUPTED;
            }
            if (debug) {
                e.printStackTrace(commandLine.getErr());
            }
            if (e instanceof io.grpc.StatusRuntimeException status) {
                commandLine.getErr().println(org.optbench.cli.remote.RemoteErrors.message(status, serverOf(commandLine)));
                return org.optbench.cli.remote.RemoteErrors.exitCode(status);
            }
            if (e instanceof java.nio.file.NoSuchFileException missing) {
                commandLine.getErr().println("error: no such file: " + missing.getFile());
                return BAD_INPUT;
            }
            if (isBadInput(e)) {
                commandLine.getErr().println("error: " + e.getMessage());
                return BAD_INPUT;
            }
            commandLine.getErr().println("internal error: " + e + (debug ? "" : " (run with --debug for the stack trace)"));
            return INTERNAL;
        });
        return cli;
    }

    private static boolean isBadInput(Exception e) {
        return e instanceof org.optbench.sweep.store.StoreException || e instanceof ModelConfigException
                || e instanceof SafetensorsException || e instanceof RunSpecException
                || e instanceof TokenFileException || e instanceof HyperparameterException
                || e instanceof KernelException || e instanceof IllegalArgumentException
                || e instanceof java.nio.file.NoSuchFileException;
    }

    /** The --server address the command was given (or configured), or null when it has none or runs in-process. */
    private static String serverOf(CommandLine command) {
        for (Object mixin : command.getCommandSpec().mixins().values().stream().map(m -> m.userObject()).toList()) {
            if (mixin instanceof org.optbench.cli.remote.ClientOptions client) {
                return client.server();
            }
        }
        return null;
    }
}
