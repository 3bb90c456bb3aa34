package org.optbench.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.optbench.proto.v1.CancelSweepRequest;
import org.optbench.proto.v1.CreateSweepRequest;
import org.optbench.proto.v1.DeleteSweepRequest;
import org.optbench.proto.v1.DeleteSweepResponse;
import org.optbench.proto.v1.GetResultsRequest;
import org.optbench.proto.v1.GetSweepRequest;
import org.optbench.proto.v1.ListSweepsRequest;
import org.optbench.proto.v1.ListSweepsResponse;
import org.optbench.proto.v1.Results;
import org.optbench.proto.v1.Sweep;
import org.optbench.proto.v1.SweepEvent;
import org.optbench.proto.v1.SweepServiceGrpc;
import org.optbench.proto.v1.SweepState;
import org.optbench.proto.v1.Trial;
import org.optbench.proto.v1.WatchSweepRequest;
import org.optbench.server.auth.Caller;
import org.optbench.sweep.analysis.SweepAnalysis;
import org.optbench.sweep.store.SweepRow;
import org.optbench.sweep.store.TrialRecord;
import org.optbench.sweep.store.TrialStore;

/**
 * The user-facing API: sweeps are created from specs, read, listed, cancelled, deleted, watched
 * and summarised. Every call is scoped to the caller: another user's sweep is NOT_FOUND, as if
 * it did not exist (admins see all). Bad specs are INVALID_ARGUMENT with the parser's message.
 */
final class SweepService extends SweepServiceGrpc.SweepServiceImplBase {

    private final TrialStore store;
    private final SweepManager sweeps;
    private final EventHub hub;

    SweepService(TrialStore store, SweepManager sweeps, EventHub hub) {
        this.store = store;
        this.sweeps = sweeps;
        this.hub = hub;
    }

    @Override
    public void createSweep(CreateSweepRequest request, StreamObserver<Sweep> response) {
        Calls.unary(response, () -> {
            Caller caller = user();
            String text = switch (request.getSpecCase()) {
                case YAML -> request.getYaml();
                case STRUCTURED -> json(request);
                default -> throw Status.INVALID_ARGUMENT.withDescription("give the spec as yaml or structured").asRuntimeException();
            };
            return sweeps.sweep(sweeps.create(text, "spec", caller.user(), caller.local()).id());
        });
    }

    private static String json(CreateSweepRequest request) {
        try {
            return JsonFormat.printer().print(request.getStructured());
        } catch (InvalidProtocolBufferException e) {
            throw Status.INVALID_ARGUMENT.withDescription("the structured spec is not a JSON value: " + e.getMessage())
                    .asRuntimeException();
        }
    }

    @Override
    public void getSweep(GetSweepRequest request, StreamObserver<Sweep> response) {
        Calls.unary(response, () -> sweeps.sweep(owned(request.getSweepId()).id()));
    }

    @Override
    public void listSweeps(ListSweepsRequest request, StreamObserver<ListSweepsResponse> response) {
        Calls.unary(response, () -> {
            Caller caller = user();
            int size = request.getPageSize() == 0 ? 50 : request.getPageSize();
            if (size < 1 || size > 1000) {
                throw Status.INVALID_ARGUMENT.withDescription("page_size " + size + " must lie in [1, 1000]").asRuntimeException();
            }
            int offset = 0;
            if (!request.getPageToken().isEmpty()) {
                try {
                    offset = Integer.parseInt(request.getPageToken());
                } catch (NumberFormatException e) {
                    throw Status.INVALID_ARGUMENT.withDescription("page_token '" + request.getPageToken()
                            + "' did not come from ListSweeps").asRuntimeException();
                }
            }
            List<Sweep> mine = store.sweeps().stream().filter(r -> caller.owns(r.owner()))
                    .map(r -> Protos.sweep(r, store.trials(r.id()), sweeps.isActive(r.id())).toBuilder().clearSpec().build())
                    .filter(s -> request.getState() == SweepState.SWEEP_STATE_UNSPECIFIED || s.getState() == request.getState())
                    .toList();
            int end = Math.min(mine.size(), offset + size);
            ListSweepsResponse.Builder b = ListSweepsResponse.newBuilder().addAllSweeps(mine.subList(Math.min(offset, end), end));
            if (end < mine.size()) {
                b.setNextPageToken(Integer.toString(end));
            }
            return b.build();
        });
    }

    @Override
    public void cancelSweep(CancelSweepRequest request, StreamObserver<Sweep> response) {
        Calls.unary(response, () -> {
            String id = owned(request.getSweepId()).id();
            sweeps.cancel(id);
            return sweeps.sweep(id);
        });
    }

    @Override
    public void deleteSweep(DeleteSweepRequest request, StreamObserver<DeleteSweepResponse> response) {
        Calls.unary(response, () -> {
            sweeps.delete(owned(request.getSweepId()).id());
            return DeleteSweepResponse.getDefaultInstance();
        });
    }

    @Override
    public void watchSweep(WatchSweepRequest request, StreamObserver<SweepEvent> response) {
        try {
            Caller caller = user();
            String id = owned(request.getSweepId()).id();
            ServerCallStreamObserver<SweepEvent> call = (ServerCallStreamObserver<SweepEvent>) response;
            hub.subscribe(id, caller.user(), call, () -> sweeps.snapshot(id), request.getSteps(), caller::stillValid);
            if (!sweeps.isActive(id)) {
                hub.publish(id, SweepEvent.newBuilder().setSweepId(id).setDone(sweeps.sweep(id)).build());
            }
        } catch (RuntimeException e) {
            response.onError(Failures.toStatus(e));
        }
    }

    @Override
    public void getResults(GetResultsRequest request, StreamObserver<Results> response) {
        Calls.unary(response, () -> {
            String id = owned(request.getSweepId()).id();
            List<TrialRecord> trials = store.trials(id);
            Results.Builder b = Results.newBuilder().setSweep(sweeps.sweep(id));
            for (TrialRecord t : trials) {
                Trial.Builder trial = Protos.trial(t).toBuilder();
                if (request.getCurves()) {
                    store.metrics(t.id(), "eval").forEach(m -> trial.addEvals(Protos.metric(m)));
                }
                b.addTrials(trial);
            }
            SweepAnalysis.summarize(trials).forEach(s -> b.addOptimizers(Protos.summary(s)));
            return b.build();
        });
    }

    private static Caller user() {
        Caller caller = Caller.current();
        if (caller == null || caller.isWorker()) {
            throw Status.PERMISSION_DENIED.withDescription("worker tokens may only report progress").asRuntimeException();
        }
        return caller;
    }

    /** The sweep {@code id} if the caller may see it; NOT_FOUND otherwise (another user's sweep looks absent). */
    private SweepRow owned(String id) {
        Caller caller = user();
        if (id.isEmpty()) {
            throw Status.INVALID_ARGUMENT.withDescription("sweep_id is empty").asRuntimeException();
        }
        return store.sweep(id).filter(r -> caller.owns(r.owner())).orElseThrow(() -> Status.NOT_FOUND
                .withDescription("no sweep '" + id + "'" + (caller.admin() ? "" : " of user " + caller.user())).asRuntimeException());
    }
}
