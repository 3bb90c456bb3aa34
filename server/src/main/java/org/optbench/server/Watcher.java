package org.optbench.server;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.optbench.proto.v1.SweepEvent;

/**
 * One WatchSweep stream. Events are queued up to a bound and sent only while the transport is
 * ready, on a shared executor, so a slow watcher never blocks the server: when its queue is full
 * the queued events are dropped and the watcher is sent a fresh snapshot (a Resync counting what
 * it missed) once it can take more. A stream ends after the sweep's Done event.
 */
final class Watcher {

    private final ServerCallStreamObserver<SweepEvent> observer;
    private final Supplier<SweepEvent> snapshot;
    private final boolean steps;
    private final Executor sender;
    private final int capacity;
    private final Runnable onClose;
    private final ArrayDeque<SweepEvent> queue = new ArrayDeque<>();
    private final BooleanSupplier authorized;
    private boolean resync = true;
    private long dropped;
    private boolean scheduled;
    private boolean closed;
    private SweepEvent done;

    Watcher(ServerCallStreamObserver<SweepEvent> observer, Supplier<SweepEvent> snapshot, boolean steps, Executor sender,
            int capacity, BooleanSupplier authorized, Runnable onClose) {
        this.authorized = authorized;
        this.observer = observer;
        this.snapshot = snapshot;
        this.steps = steps;
        this.sender = sender;
        this.capacity = capacity;
        this.onClose = onClose;
        observer.setOnReadyHandler(this::schedule);
        observer.setOnCancelHandler(this::close);
    }

    /** Queues an event (never blocks); overflowing drops the queue in favour of a resync. */
    void offer(SweepEvent event) {
        if (event.hasSteps() && !steps) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            if (event.hasDone()) {
                done = event;
            } else if (queue.size() >= capacity) {
                dropped += queue.size() + 1;
                queue.clear();
                resync = true;
            } else if (!resync) {
                queue.add(event);
            }
        }
        schedule();
    }

    void schedule() {
        synchronized (this) {
            if (scheduled || closed) {
                return;
            }
            scheduled = true;
        }
        sender.execute(this::drain);
    }

    private void drain() {
        try {
            while (observer.isReady()) {
                SweepEvent next;
                boolean last = false;
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    if (resync) {
                        resync = false;
                        queue.clear();
                        next = snapshot.get();
                        next = next.toBuilder().setResync(next.getResync().toBuilder().setDropped(dropped)).build();
                        dropped = 0;
                    } else if (!queue.isEmpty()) {
                        next = queue.poll();
                    } else if (done != null) {
                        next = done;
                        last = true;
                        closed = true;
                    } else {
                        return;
                    }
                }
                observer.onNext(next);
                if (last) {
                    observer.onCompleted();
                    onClose.run();
                    return;
                }
            }
        } catch (RuntimeException e) {
            close();
            try {
                observer.onError(Failures.toStatus(e));
            } catch (RuntimeException alreadyClosed) {
                // the call is gone; nothing more to tell it
            }
        } finally {
            boolean again;
            synchronized (this) {
                scheduled = false;
                again = !closed && (resync || !queue.isEmpty() || done != null) && observer.isReady();
            }
            if (again) {
                schedule();
            }
        }
    }

    /** Whether the stream's credential is still valid. */
    boolean authorized() {
        return authorized.getAsBoolean();
    }

    /** Ends the stream from the server's side (shutdown, a revoked token). */
    void abort(Status status) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            observer.onError(status.asRuntimeException());
        } catch (RuntimeException alreadyClosed) {
            // the client left first
        }
        onClose.run();
    }

    private void close() {
        boolean first;
        synchronized (this) {
            first = !closed;
            closed = true;
            queue.clear();
        }
        if (first) {
            onClose.run();
        }
    }
}
