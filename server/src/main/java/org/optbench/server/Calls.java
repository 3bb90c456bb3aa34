package org.optbench.server;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.Callable;

/**
 * Runs a unary call's body and answers with its value or its failure as a gRPC status, through
 * {@link Failures}: a status thrown by the body as it is, a domain exception as its code,
 * anything else as INTERNAL with an error id.
 */
final class Calls {

    private Calls() {
    }

    static <T> void unary(StreamObserver<T> response, Callable<T> body) {
        T value;
        try {
            value = body.call();
        } catch (Exception e) {
            response.onError(Failures.toStatus(e));
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }
}
