package org.optbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code optbench} as a user does: a child JVM on this build's class path, its real stdout,
 * stderr and exit code read back, and its wall time measured.
 *
 * @param code   the exit code
 * @param out    everything it printed on stdout
 * @param err    everything it printed on stderr
 * @param millis wall time of the process
 */
record CliProcess(int code, String out, String err, long millis) {

    /** Runs {@code optbench args...} in {@code workDir} with {@code env} added, waiting at most {@code timeoutSeconds}. */
    static CliProcess run(Path workDir, Map<String, String> env, long timeoutSeconds, String... args) throws Exception {
        List<String> cmd = command(args);
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new AssertionError("optbench " + String.join(" ", args) + " ran past " + timeoutSeconds + " s: "
                    + read(err));
        }
        return new CliProcess(p.exitValue(), read(out), read(err), (System.nanoTime() - start) / 1_000_000);
    }

    /** The command line of {@code optbench args...} as a child JVM of this build (its java and class path). */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--add-modules",
                "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Writes a sweep spec of a tiny synthetic study (a 32-wide one-layer nano model, batch 4, seed 0,
     * one evaluation) named {@code name} into {@code dir}; {@code optimizers} are the lines under
     * {@code parameters.optimizer}, indented by four.
     */
    static Path tinySpec(Path dir, String name, int steps, int parallel, String optimizers) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), "name: " + name + "\n"
                + "model: {preset: nano, d_model: 32, layers: 1}\n"
                + "data: synthetic\n"
                + "steps: " + steps + "\n"
                + "batch: 4\n"
                + "seeds: [0]\n"
                + "parallel: " + parallel + "\n"
                + "train: {eval_tokens: 2048, eval_points: 1}\n"
                + "parameters:\n"
                + "  optimizer:\n"
                + optimizers.stripIndent().lines().map(l -> "    " + l + "\n").collect(java.util.stream.Collectors.joining()));
    }

    /**
     * Starts {@code optbench study SPEC --runs-dir RUNS} in {@code dir} without waiting, its stdout
     * and stderr going to {@code out.txt} and {@code err.txt} there.
     */
    static Process startStudy(Path dir, Path spec, Path runs) throws IOException {
        return new ProcessBuilder(command("study", spec.toString(), "--runs-dir", runs.toString()))
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
    }

    /**
     * The trials of {@code sweep} in the store of a study started by {@link #startStudy}, or
     * empty while the study has not announced the sweep (opening its store earlier would race its
     * migrations) or is writing to the store.
     */
    static List<org.optbench.sweep.store.TrialRecord> trialsOf(Path dir, Path runs, String sweep) throws IOException {
        if (!read(dir.resolve("out.txt")).contains("study " + sweep + ":")) {
            return List.of();
        }
        try (org.optbench.sweep.store.TrialStore store = org.optbench.sweep.store.TrialStore.sqlite(runs.resolve("optbench.db"))) {
            return store.trials(sweep);
        } catch (org.optbench.sweep.store.StoreException busy) {
            return List.of();
        }
    }

    /** Whether some trial runs and has reported more than 10 steps. */
    static boolean oneRunsPastStep10(List<org.optbench.sweep.store.TrialRecord> trials) {
        return trials.stream().anyMatch(t -> t.status() == org.optbench.sweep.store.TrialStatus.RUNNING && t.lastStep() != null
                && t.lastStep() > 10);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
