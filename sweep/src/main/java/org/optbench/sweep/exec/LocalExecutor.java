package org.optbench.sweep.exec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.optbench.sweep.store.Private;
import org.optbench.sweep.store.StoreException;

/**
 * Runs a local study's trials in warm workers: long-lived child JVMs ({@code worker --serve}), at
 * most one per trial running at once, each taking trials one after another with fresh state, so
 * the JVM starts and the kernels compile once per slot rather than once per trial. A trial is
 * sent as its directory on the worker's standard input and answered with its exit code on the
 * worker's standard output. A crash or an out-of-memory error still ends one trial: the worker
 * running it dies or ends itself, and the next trial starts a new one. A worker killed by a signal
 * (kill -9, the kernel's out-of-memory killer) loses that attempt, which runs again from its
 * checkpoint as a lost attempt does; cancelling a trial kills its worker. The trial's output is appended to {@code DIR/log.txt}, each attempt after a line {@code
 * == attempt started <instant>}, so a retried or resumed trial keeps the logs of its earlier
 * attempts; its worker's pid goes to {@code DIR/pid}, which lets a resumed sweep stop a worker that
 * outlived a killed runner before it runs the trial again (a worker whose runner died ends after
 * its trial, when its standard input closes). What a worker writes outside its trials goes to
 * {@code workers.log} in the sweep's directory.
 */
public final class LocalExecutor implements TrialExecutor {

    /** The argument after {@code worker} that makes a worker serve trials from its standard input. */
    public static final String SERVE = "--serve";
    /** Exit codes above this are a signal's (128 + its number): the worker was killed, not the trial failed. */
    private static final int SIGNALLED = 128;
    /** How a worker answers a trial: this, a space and the trial's exit code. */
    public static final String DONE = "optbench-worker done";

    private final List<String> workerCommand;
    private final Deque<Worker> idle = new ArrayDeque<>();
    private final Map<String, Attempt> running = new ConcurrentHashMap<>();
    private final AtomicLong attempts = new AtomicLong();
    /** Released whenever a worker answers a trial or its process has ended. */
    private final Semaphore changes = new Semaphore(0);

    /** A trial sent to a worker. */
    private record Attempt(Worker worker, Path dir) {
    }

    /** One warm worker: its process, its input, and the exit codes of the trials it finished. */
    private static final class Worker {
        final Process process;
        final Writer input;
        final BlockingQueue<Integer> done = new LinkedBlockingQueue<>();
        private final Semaphore changes;

        Worker(List<String> command, Path log, Semaphore changes) throws IOException {
            this.changes = changes;
            Private.file(log);
            this.process = new ProcessBuilder(privately(command)).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            process.onExit().thenRun(changes::release);   // once ended, as poll sees it
            Thread reader = new Thread(this::read, "optbench-worker-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(DONE + " ")) {
                        done.add(Integer.parseInt(line.substring(DONE.length() + 1).trim()));
                        changes.release();
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the worker is gone; poll sees it
            }
        }

        void send(Path dir) throws IOException {
            input.write(dir.toAbsolutePath() + "\n");
            input.flush();
        }

        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@code command} run with umask 077 where a POSIX shell exists, so that every file and
     * directory the worker writes in a trial's directory is its owner's alone (0600, 0700); the
     * shell execs the command, which keeps the shell's process id.
     */
    static List<String> privately(List<String> command) {
        if (!Files.isExecutable(Path.of("/bin/sh"))) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", "umask 077 && exec \"$@\"", "optbench-worker"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** {@code workerCommand}: the command that runs a worker, ending in {@code worker}. */
    public LocalExecutor(List<String> workerCommand) {
        this.workerCommand = List.copyOf(workerCommand);
    }

    @Override
    public synchronized String submit(String trialId, Path trialDir) {
        List<String> cmd = new ArrayList<>(workerCommand);
        cmd.add(SERVE);
        try {
            Files.writeString(Private.file(trialDir.resolve("log.txt")), "== attempt started " + java.time.Instant.now()
                    + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Worker w = idle.pollFirst();
            while (w != null && !w.process.isAlive()) {
                w = idle.pollFirst();
            }
            if (w == null) {
                w = new Worker(cmd, trialDir.toAbsolutePath().getParent().resolve("workers.log"), changes);
            }
            long started = w.process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
            Files.writeString(Private.file(trialDir.resolve("pid")), w.process.pid() + " " + started);
            w.send(trialDir);
            String id = "local-" + w.process.pid() + "-" + attempts.incrementAndGet();
            running.put(id, new Attempt(w, trialDir));
            return id;
        } catch (IOException e) {
            throw new StoreException("cannot start trial " + trialId + " (" + String.join(" ", cmd) + "): " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Outcome poll(String executorId) {
        Attempt a = running.get(executorId);
        if (a == null) {
            return Outcome.lost("no such attempt " + executorId);
        }
        Integer code = a.worker().done.poll();
        if (code == null && a.worker().process.isAlive()) {
            return null;
        }
        running.remove(executorId);
        if (code != null) {
            if (a.worker().process.isAlive()) {
                idle.addLast(a.worker());
            }
            return Outcome.exited(code);
        }
        try {
            a.worker().process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        code = a.worker().done.poll();   // it may have answered just before it ended
        if (code != null) {
            return Outcome.exited(code);
        }
        int exit = a.worker().process.exitValue();
        return exit > SIGNALLED ? Outcome.lost("its worker was killed (signal " + (exit - SIGNALLED) + ") before the trial "
                + "ended") : Outcome.exited(exit);
    }

    @Override
    public void awaitChange(long millis) throws InterruptedException {
        if (changes.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
            changes.drainPermits();
        }
    }

    @Override
    public synchronized void cancel(String executorId) {
        Attempt a = running.remove(executorId);
        if (a != null) {
            a.worker().kill();
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
                        awaitStopped(h);
                    });
        } catch (IOException | NumberFormatException e) {
            // an unreadable pid file names no process to stop
        }
    }

    /** How long a killed worker may take to stop running. */
    private static final long STOP_MILLIS = 30_000;

    /**
     * Waits until a killed worker no longer runs: it exited, or it is a zombie (dead, but its
     * parent, another runner that froze, has not reaped it; waiting for the reaping would wait for
     * that runner to wake up).
     */
    private static void awaitStopped(ProcessHandle h) {
        long deadline = System.currentTimeMillis() + STOP_MILLIS;
        while (h.isAlive() && !zombie(h.pid()) && System.currentTimeMillis() < deadline) {
            try {
                h.onExit().get(50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // still running: look again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether process {@code pid} has died and waits for its parent to reap it (Linux's /proc state Z or X). */
    static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String after = stat.substring(stat.lastIndexOf(')') + 1).trim();
            return !after.isEmpty() && (after.charAt(0) == 'Z' || after.charAt(0) == 'X');
        } catch (IOException | RuntimeException e) {
            return false;   // no /proc (not Linux), or the process is gone
        }
    }

    @Override
    public synchronized void close() {
        running.keySet().forEach(this::cancel);
        for (Worker w : idle) {
            try {
                w.input.close();
            } catch (IOException e) {
                // a worker whose input is already gone ends by itself
            }
            w.kill();
        }
        idle.clear();
    }
}
