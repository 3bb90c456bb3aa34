package org.optbench.cli.remote;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * How a failed call ends a command: a one-line message with the status, its description and a
 * hint, and an exit code: 2 for a bad request (INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS,
 * FAILED_PRECONDITION), 3 for authentication and permission, 4 when the server cannot be reached
 * or the deadline passed, 5 for a server limit (RESOURCE_EXHAUSTED), 1 otherwise.
 */
public final class RemoteErrors {

    private RemoteErrors() {
    }

    public static int exitCode(StatusRuntimeException e) {
        return switch (e.getStatus().getCode()) {
            case INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, OUT_OF_RANGE -> 2;
            case UNAUTHENTICATED, PERMISSION_DENIED -> 3;
            case UNAVAILABLE, DEADLINE_EXCEEDED -> 4;
            case RESOURCE_EXHAUSTED -> 5;
            default -> 1;
        };
    }

    public static String message(StatusRuntimeException e) {
        return message(e, null);
    }

    /** The error's line, naming {@code address} (the server tried; null for the in-process one) when it could not be reached. */
    public static String message(StatusRuntimeException e, String address) {
        Status s = e.getStatus();
        String hint = switch (s.getCode()) {
            case UNAUTHENTICATED -> "pass --token, set OPTBENCH_TOKEN, or put token= in ~/.config/optbench/client.properties";
            case PERMISSION_DENIED -> "this token may not do that";
            case UNAVAILABLE -> address == null ? "is the server running and reachable at the --server address?"
                    : "no optbench server answered at " + address + ": is it running, and is that its host and port?";
            case DEADLINE_EXCEEDED -> "the server did not answer in time; raise --deadline or try again";
            case NOT_FOUND -> "'optbench sweep list' shows your sweeps";
            case RESOURCE_EXHAUSTED -> "a server limit was reached";
            default -> null;
        };
        String description = s.getDescription() != null ? s.getDescription()
                : s.getCause() != null ? s.getCause().getMessage() : "";
        return "error: " + s.getCode() + ": " + description + (hint == null ? "" : " (" + hint + ")");
    }
}
