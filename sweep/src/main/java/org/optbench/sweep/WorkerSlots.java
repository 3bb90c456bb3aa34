package org.optbench.sweep;

import java.util.HashMap;
import java.util.Map;

/**
 * The workers a server runs at once, across its sweeps and users: at most {@code maxWorkers} in
 * all, {@code userMaxWorkers} per user, and heaps that add up to at most {@code maxMemory} bytes
 * (one worker always may run, so a sweep whose worker alone is larger than it is not stuck). A sweep's runner asks for a slot before it starts each
 * trial; a refused trial waits in its sweep's queue, and the runner says why. Slots are shared
 * fairly: while users wait, the free slots go first to those with fewer running workers (a user
 * who stopped asking for a second no longer counts as waiting).
 */
public final class WorkerSlots {

    /** How long a refused user counts as waiting without asking again. */
    static final long WAITING_MILLIS = 1_000;

    private final int maxWorkers;
    private final int userMaxWorkers;
    private final long maxMemory;
    private long memory;
    private final Map<String, Integer> running = new HashMap<>();
    private final Map<String, Long> waitingSince = new HashMap<>();
    private int total;
    private java.util.function.Function<String, Integer> perUser = u -> null;

    /** Slots with no cap on the workers' memory. */
    public WorkerSlots(int maxWorkers, int userMaxWorkers) {
        this(maxWorkers, userMaxWorkers, Long.MAX_VALUE);
    }

    /**
     * @param maxWorkers     workers at once on the server (at least 1)
     * @param userMaxWorkers workers at once per user (at least 1)
     * @param maxMemory      bytes the running workers' heaps may add up to
     */
    public WorkerSlots(int maxWorkers, int userMaxWorkers, long maxMemory) {
        if (maxWorkers < 1 || userMaxWorkers < 1) {
            throw new IllegalArgumentException("--max-workers " + maxWorkers + " and --user-max-workers " + userMaxWorkers
                    + " must be at least 1");
        }
        this.maxWorkers = maxWorkers;
        this.userMaxWorkers = userMaxWorkers;
        this.maxMemory = maxMemory;
    }

    /** Users' own caps (null: the server's {@code userMaxWorkers}); each is capped by {@code maxWorkers}. */
    public synchronized void perUser(java.util.function.Function<String, Integer> caps) {
        this.perUser = caps;
    }

    private int capOf(String user) {
        Integer own = perUser.apply(user);
        return own != null ? Math.min(own, maxWorkers) : userMaxWorkers;
    }

    /** A slot for a worker of unknown heap. */
    public synchronized String tryAcquire(String user) {
        return tryAcquire(user, 0);
    }

    /**
     * A slot for one of {@code user}'s trials whose worker has a heap of {@code heapBytes}: null when
     * granted (release it when the trial ends), else why the trial waits.
     */
    public synchronized String tryAcquire(String user, long heapBytes) {
        long now = System.currentTimeMillis();
        waitingSince.values().removeIf(t -> now - t > WAITING_MILLIS);
        int mine = running.getOrDefault(user, 0);
        int cap = capOf(user);
        String refused = null;
        if (mine >= cap) {
            refused = "waiting: " + user + "'s " + mine + " worker" + (mine == 1 ? "" : "s") + " are the most one user may "
                    + "run at once (" + (perUser.apply(user) != null ? "their max-workers " : "the server's --user-max-workers ")
                    + cap + ")";
        } else if (total >= maxWorkers) {
            refused = "waiting: the server runs its most workers at once (" + total + " of --max-workers " + maxWorkers
                    + ", shared by every user)";
        } else if (total > 0 && heapBytes > maxMemory - memory) {
            refused = String.format(java.util.Locale.ROOT, "waiting: the %d workers running hold %.1f GiB of heap and "
                    + "another needs %.1f GiB, past the server's --max-worker-memory %.1f GiB", total, memory / 1073741824.0,
                    heapBytes / 1073741824.0, maxMemory / 1073741824.0);
        } else if (waitingSince.keySet().stream().filter(u -> !u.equals(user) && running.getOrDefault(u, 0) < mine
                && running.getOrDefault(u, 0) < capOf(u)).count() >= maxWorkers - total) {
            refused = "waiting: a user with fewer workers running is served first (the server's --max-workers "
                    + maxWorkers + " are shared fairly)";
        }
        if (refused != null) {
            waitingSince.put(user, now);
            return refused;
        }
        waitingSince.remove(user);
        hold(user, heapBytes);
        return null;
    }

    /** Counts a worker of {@code user} that already runs (a trial re-attached on resume), whatever the limits. */
    public synchronized void hold(String user) {
        hold(user, 0);
    }

    /** Counts a worker of {@code user} with a heap of {@code heapBytes} that runs, whatever the limits. */
    public synchronized void hold(String user, long heapBytes) {
        running.merge(user, 1, Integer::sum);
        total++;
        memory += heapBytes;
    }

    /** Frees the slot of one of {@code user}'s trials that ended. */
    public synchronized void release(String user) {
        release(user, 0);
    }

    /** Frees the slot of one of {@code user}'s trials, whose worker had a heap of {@code heapBytes}, that ended. */
    public synchronized void release(String user, long heapBytes) {
        Integer n = running.get(user);
        if (n == null) {
            return;
        }
        memory = Math.max(0, memory - heapBytes);
        if (n <= 1) {
            running.remove(user);
        } else {
            running.put(user, n - 1);
        }
        total--;
    }

    /** Workers running now: in all, and {@code user}'s. */
    public synchronized int[] running(String user) {
        return new int[] {total, running.getOrDefault(user, 0)};
    }
}
