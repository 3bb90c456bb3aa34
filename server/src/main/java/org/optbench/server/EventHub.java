package org.optbench.server;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.optbench.proto.v1.SweepEvent;

/**
 * Fans sweep events out to their watchers and enforces the per-user limit on open streams.
 * Publishing never blocks: each {@link Watcher} has its own bounded queue. Every second the
 * credential of each stream is checked again, and the streams of a revoked or expired token are
 * ended (UNAUTHENTICATED).
 */
final class EventHub implements AutoCloseable {

    private final Map<String, Set<Watcher>> bySweep = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> streamsPerUser = new ConcurrentHashMap<>();
    private final ExecutorService sender = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "optbench-watch-sender");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService guard = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "optbench-watch-guard");
        t.setDaemon(true);
        return t;
    });
    private final int maxStreamsPerUser;
    private final int queueCapacity;

    /** How often open streams' credentials are checked again. */
    static final long REVALIDATE_MILLIS = 1000;

    EventHub(int maxStreamsPerUser, int queueCapacity) {
        this.maxStreamsPerUser = maxStreamsPerUser;
        this.queueCapacity = queueCapacity;
        guard.scheduleWithFixedDelay(this::endRevoked, REVALIDATE_MILLIS, REVALIDATE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void endRevoked() {
        bySweep.values().forEach(set -> set.forEach(w -> {
            if (!w.authorized()) {
                w.abort(Status.UNAUTHENTICATED.withDescription("the token of this stream was revoked or has expired"));
            }
        }));
    }

    /**
     * Opens a stream of {@code sweepId}'s events for {@code user}; the first event is a
     * {@code snapshot}; training steps only when {@code steps}; the stream ends when
     * {@code authorized} turns false. Fails with RESOURCE_EXHAUSTED beyond the user's stream limit.
     */
    void subscribe(String sweepId, String user, ServerCallStreamObserver<SweepEvent> observer, Supplier<SweepEvent> snapshot,
                   boolean steps, BooleanSupplier authorized) {
        AtomicInteger open = streamsPerUser.computeIfAbsent(user, u -> new AtomicInteger());
        if (open.incrementAndGet() > maxStreamsPerUser) {
            open.decrementAndGet();
            throw new LimitExceededException(user + " already holds " + maxStreamsPerUser
                    + " watch streams, the limit; close some first");
        }
        Set<Watcher> set = bySweep.computeIfAbsent(sweepId, s -> ConcurrentHashMap.newKeySet());
        Watcher[] self = new Watcher[1];
        self[0] = new Watcher(observer, snapshot, steps, sender, queueCapacity, authorized, () -> {
            if (set.remove(self[0])) {
                open.decrementAndGet();
            }
        });
        set.add(self[0]);
        self[0].schedule();
    }

    void publish(String sweepId, SweepEvent event) {
        Set<Watcher> set = bySweep.get(sweepId);
        if (set != null) {
            set.forEach(w -> w.offer(event));
        }
    }

    /** Open streams of {@code user} (tests and the benchmark check that closed streams are released). */
    int openStreams(String user) {
        AtomicInteger n = streamsPerUser.get(user);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        bySweep.values().forEach(set -> set.forEach(w -> w.abort(Status.UNAVAILABLE.withDescription("the server is shutting down"))));
        sender.shutdown();
        guard.shutdown();
    }
}
