package org.optbench.server.web;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.javalin.http.sse.SseClient;
import java.util.concurrent.locks.ReentrantLock;
import org.optbench.proto.v1.SweepEvent;
import org.optbench.proto.v1.WatchSweepRequest;

/**
 * One browser's live view of a sweep: the sweep service's watch stream relayed as Server-Sent
 * Events named after the event's kind ({@code resync}, {@code trial}, {@code steps},
 * {@code evals}, {@code done}, and {@code failure} with the reason when the stream fails). The
 * next event is requested only after the previous one was written to the browser, so a slow
 * browser holds back only its own stream: the server's watcher sees it as not ready and, as for
 * any slow gRPC watcher, drops its queue and later sends a fresh snapshot.
 */
final class EventStream implements ClientResponseObserver<WatchSweepRequest, SweepEvent> {

    private final SseClient browser;
    private final Runnable onEnd;
    private final ReentrantLock writing = new ReentrantLock();
    private volatile ClientCallStreamObserver<WatchSweepRequest> call;
    private volatile boolean ended;

    EventStream(SseClient browser, Runnable onEnd) {
        this.browser = browser;
        this.onEnd = onEnd;
        browser.onClose(() -> end("the browser left"));
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchSweepRequest> requestStream) {
        this.call = requestStream;
        requestStream.disableAutoRequestWithInitial(1);
        if (ended) {
            requestStream.cancel("the browser left before the stream began", null);
        }
    }

    @Override
    public void onNext(SweepEvent event) {
        if (send(kind(event), ProtoJson.print(event))) {
            call.request(1);
        }
    }

    @Override
    public void onError(Throwable t) {
        Status status = Status.fromThrowable(t);
        if (status.getCode() != Status.Code.CANCELLED) {
            send("failure", ProtoJson.quote(status.getDescription() != null ? status.getDescription() : status.getCode().toString()));
        }
        end(null);
    }

    @Override
    public void onCompleted() {
        end(null);
    }

    /** Sends a comment line so that a browser that has gone is noticed; skipped while an event is being written. */
    void heartbeat() {
        if (!ended && writing.tryLock()) {
            try {
                if (!ended) {
                    browser.sendComment("keep-alive");
                }
            } finally {
                writing.unlock();
            }
        }
    }

    private boolean send(String name, String data) {
        writing.lock();
        try {
            if (ended) {
                return false;
            }
            browser.sendEvent(name, data);
            return !browser.terminated();
        } finally {
            writing.unlock();
        }
    }

    /** Ends the relay: cancels the watch stream when {@code cancelReason} is given, and closes the browser's stream. */
    void end(String cancelReason) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        if (cancelReason != null && call != null) {
            call.cancel(cancelReason, null);
        }
        browser.close();
        onEnd.run();
    }

    private static String kind(SweepEvent event) {
        return switch (event.getEventCase()) {
            case RESYNC -> "resync";
            case TRIAL -> "trial";
            case STEPS -> "steps";
            case EVALS -> "evals";
            case DONE -> "done";
            case EVENT_NOT_SET -> "unknown";
        };
    }
}
