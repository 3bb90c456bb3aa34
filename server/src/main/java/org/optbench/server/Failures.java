package org.optbench.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.optbench.model.ModelConfigException;
import org.optbench.optim.hyperparameter.HyperparameterException;
import org.optbench.sweep.error.SweepFailure;
import org.optbench.train.run.RunSpecException;

/**
 * The one mapping from the domain's exceptions to gRPC statuses, used at the service edge only:
 * the sweep layer's failures by their {@link SweepFailure.Kind} (bad specs INVALID_ARGUMENT, a
 * missing sweep NOT_FOUND, a name taken ALREADY_EXISTS, a sweep in the wrong state
 * FAILED_PRECONDITION, a store or a server going away UNAVAILABLE), bad run settings
 * INVALID_ARGUMENT, a limit reached RESOURCE_EXHAUSTED, and the server's own storage failing
 * UNAVAILABLE with an error id only (its files and paths go to the server's log). Anything
 * else is a defect: the client gets INTERNAL with an error id and no detail, and the server logs
 * the id with the stack trace, once.
 */
final class Failures {

    private Failures() {
    }

    static StatusRuntimeException toStatus(Throwable e) {
        if (e instanceof StatusRuntimeException s) {
            return s;
        }
        Status status;
        if (e instanceof SweepFailure failure && failure.remoteMessage() != null) {
            return logged(Status.UNAVAILABLE, failure.remoteMessage() + ", error", e);
        }
        if (e instanceof java.io.UncheckedIOException) {
            return logged(Status.UNAVAILABLE, "the server could not store it, error", e);
        }
        if (e instanceof SweepFailure failure) {
            status = switch (failure.kind()) {
                case INVALID -> Status.INVALID_ARGUMENT;
                case NOT_FOUND -> Status.NOT_FOUND;
                case CONFLICT -> Status.ALREADY_EXISTS;
                case WRONG_STATE -> Status.FAILED_PRECONDITION;
                case QUOTA -> Status.RESOURCE_EXHAUSTED;
                case UNAVAILABLE -> Status.UNAVAILABLE;
            };
        } else if (e instanceof RunSpecException || e instanceof HyperparameterException
                || e instanceof ModelConfigException) {
            status = Status.INVALID_ARGUMENT;
        } else if (e instanceof LimitExceededException) {
            status = Status.RESOURCE_EXHAUSTED;
        } else if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        } else {
            return logged(Status.INTERNAL, "internal error", e);
        }
        return status.withDescription(bounded(e.getMessage())).asRuntimeException();
    }

    /**
     * {@code status} with {@code what} and a fresh error id for the caller, and the id with {@code e}'s
     * message and stack trace in the server's log, once: the caller learns nothing of the server's
     * files, the operator everything.
     */
    private static StatusRuntimeException logged(Status status, String what, Throwable e) {
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 12);
        System.err.println("optbench server: " + what + " " + id + ":");
        e.printStackTrace(System.err);
        return status.withDescription(what + " " + id + "; the server's log has the cause").asRuntimeException();
    }

    /** The longest description sent back: a message that echoes input is cut here, within gRPC's metadata limits. */
    static final int MAX_DESCRIPTION = 2000;

    static String bounded(String description) {
        if (description == null || description.length() <= MAX_DESCRIPTION) {
            return description;
        }
        return description.substring(0, MAX_DESCRIPTION) + "... (" + (description.length() - MAX_DESCRIPTION)
                + " more characters)";
    }
}
