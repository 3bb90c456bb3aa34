package org.optbench.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The program a trial's worker JVM runs: {@code WorkerMain worker DIR}, the same as {@code optbench
 * worker DIR} with the same exit codes ({@link ExitCodes}), without the rest of the command line.
 * Its command line ends in {@code worker DIR} as that command's does, so a worker is found by it
 * ({@code pkill -f "worker DIR"}). Local child processes and Slurm jobs start it ({@link WorkerLaunch}).
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        String[] rest = java.util.Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        if (rest.length > 0 && rest[0].equals("worker")) {
            rest = java.util.Arrays.copyOfRange(rest, 1, rest.length);
        }
        CommandLine cli = new CommandLine(new WorkerCommand());
        cli.setOut(out);
        cli.setErr(err);
        int code = ExitCodes.handling(cli, debug).execute(rest);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
