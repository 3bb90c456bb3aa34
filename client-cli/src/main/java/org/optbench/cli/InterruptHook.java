package org.optbench.cli;

import java.io.PrintWriter;
import org.optbench.cli.remote.Connection;

/**
 * What Ctrl-C (or SIGTERM) does to a study that runs on the local store: the embedded server stops
 * its runner and its trials' workers, every finished trial stays recorded, the sweep is marked
 * paused by its user (a server started later leaves it paused), the trials that were running
 * resume from their checkpoints next time, and the user is told so:
 * {@code interrupted: N trials kept; run the same command again to resume}. Closing the hook (the
 * study ended by itself) removes it.
 */
final class InterruptHook implements AutoCloseable {

    private static volatile boolean interrupted;

    private final Thread hook;

    private InterruptHook(Thread hook) {
        this.hook = hook;
    }

    /** A hook for the sweep {@code sweepId} followed over {@code connection}; none for a remote server's sweep, which goes on there. */
    static InterruptHook install(Connection connection, String sweepId, PrintWriter err) {
        if (!connection.isEmbedded()) {
            return new InterruptHook(null);
        }
        Thread hook = new Thread(() -> {
            interrupted = true;
            String kept = "the finished";
            try {
                kept = Long.toString(connection.finishedTrials(sweepId));
            } catch (RuntimeException e) {
                // the store is unreadable now; the message still says how to resume
            } finally {
                try {
                    connection.closePausing(sweepId);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                err.println();
                err.println("interrupted: " + kept + " trials kept; run the same command again to resume");
                err.flush();
            }
        }, "optbench-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        return new InterruptHook(hook);
    }

    /** Whether a study is being interrupted: errors its closing connection causes are then not errors. */
    static boolean interrupted() {
        return interrupted;
    }

    @Override
    public void close() {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already shutting down and the hook runs
        }
    }
}
