package org.optbench.server.web;

import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.optbench.proto.v1.SweepServiceGrpc;
import org.optbench.proto.v1.WatchSweepRequest;

/**
 * The dashboard's open {@link EventStream}s: opens them, sends each a keep-alive comment every
 * {@link #HEARTBEAT_SECONDS} seconds (how a browser that has left is noticed on a quiet sweep),
 * and ends them all when the dashboard stops.
 */
final class EventStreams implements AutoCloseable {

    static final long HEARTBEAT_SECONDS = 15;

    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "optbench-dashboard-heartbeat");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param writers where keep-alive comments are written, one task per stream, so that a browser
     *                that stopped reading blocks only its own write (until the connection's idle
     *                timeout), never the others'
     */
    EventStreams(Executor writers) {
        heartbeat.scheduleWithFixedDelay(() -> open.forEach(s -> writers.execute(s::heartbeat)), HEARTBEAT_SECONDS,
                HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    /** Relays {@code request}'s watch stream, called on {@code stub}, to {@code browser}. */
    void open(SseClient browser, SweepServiceGrpc.SweepServiceStub stub, WatchSweepRequest request) {
        EventStream[] self = new EventStream[1];
        self[0] = new EventStream(browser, () -> open.remove(self[0]));
        open.add(self[0]);
        stub.watchSweep(request, self[0]);
    }

    /** Streams open now. */
    int open() {
        return open.size();
    }

    @Override
    public void close() {
        open.forEach(s -> s.end("the dashboard is stopping"));
        heartbeat.shutdownNow();
    }
}
