package org.optbench.sweep;

import java.util.HashMap;
import java.util.Map;

/**
 * The workers a server runs at once, across its sweeps and users: at most {@code maxWorkers} in
 * all and {@code userMaxWorkers} per user. A sweep's runner asks for a slot before it starts each
 * trial; a refused trial waits in its sweep's queue, and the runner says why. Slots are shared
 * fairly: while users wait, the free slots go first to those with fewer running workers (a user
 * who stopped asking for a second no longer counts as waiting).
 */
public final class WorkerSlots {

    /** How long a refused user counts as waiting without asking again. */
    static final long WAITING_MILLIS = 1_000;

    private final int maxWorkers;
    private final int userMaxWorkers;
    private final Map<String, Integer> running = new HashMap<>();
    private final Map<String, Long> waitingSince = new HashMap<>();
    private int total;

    /**
     * @param maxWorkers     workers at once on the server (at least 1)
     * @param userMaxWorkers workers at once per user (at least 1)
     */
    public WorkerSlots(int maxWorkers, int userMaxWorkers) {
        if (maxWorkers < 1 || userMaxWorkers < 1) {
            throw new IllegalArgumentException("--max-workers " + maxWorkers + " and --user-max-workers " + userMaxWorkers
                    + " must be at least 1");
        }
        this.maxWorkers = maxWorkers;
        this.userMaxWorkers = userMaxWorkers;
    }

    /**
     * A slot for one of {@code user}'s trials: null when granted (release it when the trial ends),
     * else why the trial waits.
     */
    public synchronized String tryAcquire(String user) {
        long now = System.currentTimeMillis();
        waitingSince.values().removeIf(t -> now - t > WAITING_MILLIS);
        int mine = running.getOrDefault(user, 0);
        String refused = null;
        if (mine >= userMaxWorkers) {
            refused = "waiting: " + user + "'s " + mine + " worker" + (mine == 1 ? "" : "s") + " are the most one user may "
                    + "run at once (the server's --user-max-workers " + userMaxWorkers + ")";
        } else if (total >= maxWorkers) {
            refused = "waiting: the server runs its most workers at once (" + total + " of --max-workers " + maxWorkers
                    + ", shared by every user)";
        } else if (waitingSince.keySet().stream().filter(u -> !u.equals(user) && running.getOrDefault(u, 0) < mine
                && running.getOrDefault(u, 0) < userMaxWorkers).count() >= maxWorkers - total) {
            refused = "waiting: a user with fewer workers running is served first (the server's --max-workers "
                    + maxWorkers + " are shared fairly)";
        }
        if (refused != null) {
            waitingSince.put(user, now);
            return refused;
        }
        waitingSince.remove(user);
        hold(user);
        return null;
    }

    /** Counts a worker of {@code user} that already runs (a trial re-attached on resume), whatever the limits. */
    public synchronized void hold(String user) {
        running.merge(user, 1, Integer::sum);
        total++;
    }

    /** Frees the slot of one of {@code user}'s trials that ended. */
    public synchronized void release(String user) {
        Integer n = running.get(user);
        if (n == null) {
            return;
        }
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
