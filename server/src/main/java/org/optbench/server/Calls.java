package org.optbench.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Callable;
import org.optbench.sweep.store.StoreException;

/**
 * Runs a unary call's body and answers with its value or its failure as a gRPC status: a status
 * thrown by the body as it is, a store failure as UNAVAILABLE, anything else as INTERNAL.
 */
final class Calls {

    private Calls() {
    }

    static <T> void unary(StreamObserver<T> response, Callable<T> body) {
        T value;
        try {
            value = body.call();
        } catch (StatusRuntimeException e) {
            response.onError(e);
            return;
        } catch (StoreException e) {
            response.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.onError(Status.CANCELLED.withDescription("interrupted").asRuntimeException());
            return;
        } catch (Exception e) {
            response.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }
}
