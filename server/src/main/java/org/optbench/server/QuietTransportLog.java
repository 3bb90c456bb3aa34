package org.optbench.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * grpc-java logs a warning with a stack trace for every request it cannot read (one larger than
 * the message limit, or cut off); a hostile client could fill the log with them. This filter
 * turns them into one line a minute with a count; the client still gets its status
 * (RESOURCE_EXHAUSTED for an oversized message).
 */
final class QuietTransportLog {

    private static final String STREAM_LOGGER = "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream";
    private static final long LOG_EVERY_MILLIS = 60_000;
    /** Held so that the configured logger is not collected with its filter. */
    private static final Logger LOGGER = Logger.getLogger(STREAM_LOGGER);
    private static final AtomicLong REFUSED = new AtomicLong();
    private static final AtomicLong LOGGED_AT = new AtomicLong();

    private QuietTransportLog() {
    }

    static void install() {
        LOGGER.setFilter(record -> {
            if (!"Exception processing message".equals(record.getMessage())) {
                return true;
            }
            long n = REFUSED.incrementAndGet();
            long now = System.currentTimeMillis();
            long last = LOGGED_AT.get();
            if (now - last >= LOG_EVERY_MILLIS && LOGGED_AT.compareAndSet(last, now)) {
                Throwable t = record.getThrown();
                System.err.println("optbench server: refused an unreadable request (" + (t == null ? "no detail"
                        : t.getMessage()) + "; " + n + " so far)");
            }
            return false;
        });
    }
}
