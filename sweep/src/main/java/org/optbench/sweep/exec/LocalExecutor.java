package org.optbench.sweep.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.optbench.sweep.store.StoreException;

/**
 * Runs each trial as a child process (a JVM running {@code optbench worker DIR}), so a crash or
 * an out-of-memory error ends one trial, not the sweep. The child's output is appended to
 * {@code DIR/log.txt}, each attempt after a line {@code == attempt started <instant>}, so a retried
 * or resumed trial keeps the logs of its earlier attempts; its pid goes to {@code DIR/pid}, which
 * lets a resumed sweep stop a child that outlived a killed runner before it runs the trial again.
 */
public final class LocalExecutor implements TrialExecutor {

    private final List<String> workerCommand;
    private final Map<String, Process> running = new ConcurrentHashMap<>();

    /** {@code workerCommand}: the command that runs a worker, to which the trial directory is appended. */
    public LocalExecutor(List<String> workerCommand) {
        this.workerCommand = List.copyOf(workerCommand);
    }

    @Override
    public String submit(String trialId, Path trialDir) {
        List<String> cmd = new ArrayList<>(workerCommand);
        cmd.add(trialDir.toAbsolutePath().toString());
        try {
            Path log = trialDir.resolve("log.txt");
            Files.writeString(log, "== attempt started " + java.time.Instant.now() + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            long started = p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
            Files.writeString(trialDir.resolve("pid"), p.pid() + " " + started);
            String id = "local-" + p.pid();
            running.put(id, p);
            return id;
        } catch (IOException e) {
            throw new StoreException("cannot start trial " + trialId + " (" + String.join(" ", cmd) + "): " + e.getMessage(), e);
        }
    }

    @Override
    public Outcome poll(String executorId) {
        Process p = running.get(executorId);
        if (p == null) {
            return Outcome.lost("no such process " + executorId);
        }
        if (p.isAlive()) {
            return null;
        }
        running.remove(executorId);
        return Outcome.exited(p.exitValue());
    }

    @Override
    public void cancel(String executorId) {
        Process p = running.remove(executorId);
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops a worker left running in {@code trialDir} by an earlier runner: the process whose pid
     * and start time the pid file records (the pair names one process, even after pids are reused,
     * and unlike its command line, which the JDK truncates at 4 KB, it never misses).
     */
    @Override
    public void stopOrphan(String executorId, Path trialDir) {
        Path pidFile = trialDir.resolve("pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        try {
            String[] f = Files.readString(pidFile).trim().split("\\s+");
            long pid = Long.parseLong(f[0]);
            long started = f.length > 1 ? Long.parseLong(f[1]) : -1;
            ProcessHandle.of(pid).filter(h -> started > 0 ? h.info().startInstant()
                    .map(i -> i.toEpochMilli() == started).orElse(false) : h.info().commandLine()
                    .map(c -> c.contains(trialDir.toAbsolutePath().toString())).orElse(false)).ifPresent(h -> {
                        h.descendants().forEach(ProcessHandle::destroyForcibly);
                        h.destroyForcibly();
                        h.onExit().join();
                    });
        } catch (IOException | NumberFormatException e) {
            // an unreadable pid file names no process to stop
        }
    }

    @Override
    public void close() {
        running.keySet().forEach(this::cancel);
    }
}
