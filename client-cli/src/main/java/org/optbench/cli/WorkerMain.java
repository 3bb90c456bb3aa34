package org.optbench.cli;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.optbench.sweep.exec.LocalExecutor;
import picocli.CommandLine;

/**
 * The program a trial's worker JVM runs. {@code WorkerMain worker DIR} runs one trial, the same as
 * {@code optbench worker DIR} with the same exit codes ({@link ExitCodes}), without the rest of the
 * command line; its command line ends in {@code worker DIR} as that command's does, so a worker is
 * found by it ({@code pkill -f "worker DIR"}); Slurm jobs start it so. {@code WorkerMain worker
 * --serve} is a warm worker of a local study ({@link LocalExecutor}): it reads trial directories
 * from its standard input, one per line, runs each as {@code worker DIR} would, in turn and with
 * fresh state, its output appended to that trial's {@code log.txt}, and answers each with a line
 * {@code optbench-worker done CODE} on its standard output; so the JVM starts and the kernels
 * compile once per slot, not once per trial. An error the JVM cannot trust itself after (out of
 * memory, a stack overflow) ends the worker once it has answered.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        String[] rest = java.util.Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        if (rest.length > 0 && rest[0].equals("worker")) {
            rest = java.util.Arrays.copyOfRange(rest, 1, rest.length);
        }
        if (rest.length == 1 && rest[0].equals(LocalExecutor.SERVE)) {
            System.exit(serve(debug));
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(rest, out, err, debug);
        System.exit(code);
    }

    private static int run(String[] args, PrintWriter out, PrintWriter err, boolean debug) {
        CommandLine cli = new CommandLine(new WorkerCommand());
        cli.setOut(out);
        cli.setErr(err);
        int code = ExitCodes.handling(cli, debug).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Runs the trials named on standard input until it closes; the exit code of the worker. */
    private static int serve(boolean debug) throws IOException {
        PrintStream protocol = System.out;
        PrintStream stderr = System.err;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            Path dir = Path.of(line.trim());
            int code;
            boolean fatal = false;
            try (PrintStream log = new PrintStream(new FileOutputStream(dir.resolve("log.txt").toFile(), true), true,
                    StandardCharsets.UTF_8)) {
                System.setOut(log);
                System.setErr(log);
                try {
                    code = run(new String[] {dir.toString()}, new PrintWriter(log, true), new PrintWriter(log, true), debug);
                } catch (VirtualMachineError e) {
                    e.printStackTrace(log);
                    code = ExitCodes.INTERNAL;
                    fatal = true;
                } finally {
                    System.setOut(protocol);
                    System.setErr(stderr);
                }
            }
            protocol.println(LocalExecutor.DONE + " " + code);
            protocol.flush();
            if (fatal) {
                return code;
            }
        }
        return 0;
    }
}
