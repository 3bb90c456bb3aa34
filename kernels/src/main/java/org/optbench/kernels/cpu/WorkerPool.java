package org.optbench.kernels.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads that run one parallel loop at a time. The loop's index range is
 * cut into tasks of {@code grain} indices which the calling thread and the workers take in turn
 * from a shared counter, so uneven tasks balance themselves. Workers spin briefly between loops,
 * then park, which keeps the latency of back-to-back kernels low without burning idle cores.
 * Bodies always see the same task boundaries, whatever the number of threads, so kernels that
 * reduce per task give bit-identical results on any thread count.
 */
public final class WorkerPool implements AutoCloseable {

    /** The body of a parallel loop over the index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Thread[] workers;
    private final AtomicInteger nextTask = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile long generation;
    private volatile boolean closed;
    private RangeBody body;
    private int count;
    private int grain;
    private int tasks;

    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread worker = new Thread(this::workerLoop, "optbench-cpu-" + (i + 1));
            worker.setDaemon(true);
            workers[i] = worker;
            worker.start();
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body} over {@code [0, count)} in tasks of {@code grain} indices and waits. */
    public void forRange(int count, int grain, RangeBody body) {
        if (count <= 0) {
            return;
        }
        int taskCount = (count + grain - 1) / grain;
        if (taskCount == 1 || workers.length == 0) {
            // the same task boundaries as with workers, so results do not depend on the thread count
            for (int from = 0; from < count; from += grain) {
                body.run(from, Math.min(count, from + grain));
            }
            return;
        }
        this.body = body;
        this.count = count;
        this.grain = grain;
        this.tasks = taskCount;
        nextTask.set(0);
        running.set(workers.length);
        generation = generation + 1;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
        runTasks();
        while (running.get() > 0) {
            Thread.onSpinWait();
        }
        this.body = null;
        Throwable thrown = failure.getAndSet(null);
        if (thrown instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
    }

    private void runTasks() {
        RangeBody current = body;
        int total = tasks;
        int size = grain;
        int end = count;
        try {
            for (int task = nextTask.getAndIncrement(); task < total; task = nextTask.getAndIncrement()) {
                int from = task * size;
                current.run(from, Math.min(end, from + size));
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            nextTask.set(total);
        }
    }

    private void workerLoop() {
        long seen = 0;
        while (!closed) {
            long spinStart = System.nanoTime();
            while (generation == seen && !closed) {
                if (System.nanoTime() - spinStart < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            runTasks();
            running.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
    }
}
