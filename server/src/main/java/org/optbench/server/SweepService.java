package org.optbench.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.optbench.proto.v1.ArtifactChunk;
import org.optbench.proto.v1.CancelSweepRequest;
import org.optbench.proto.v1.CreateSweepRequest;
import org.optbench.proto.v1.DeleteSweepRequest;
import org.optbench.proto.v1.DeleteSweepResponse;
import org.optbench.proto.v1.GetArtifactRequest;
import org.optbench.proto.v1.GetResultsRequest;
import org.optbench.proto.v1.GetSweepRequest;
import org.optbench.proto.v1.ListArtifactsRequest;
import org.optbench.proto.v1.ListArtifactsResponse;
import org.optbench.proto.v1.ListSweepsRequest;
import org.optbench.proto.v1.ListSweepsResponse;
import org.optbench.proto.v1.Results;
import org.optbench.proto.v1.Sweep;
import org.optbench.proto.v1.SweepEvent;
import org.optbench.proto.v1.SweepServiceGrpc;
import org.optbench.proto.v1.SweepState;
import org.optbench.proto.v1.Trial;
import org.optbench.proto.v1.UploadedWeights;
import org.optbench.proto.v1.WatchSweepRequest;
import org.optbench.proto.v1.WeightsChunk;
import org.optbench.server.auth.Caller;
import org.optbench.server.wire.Protos;
import org.optbench.sweep.SweepCoordinator;
import org.optbench.sweep.analysis.Findings;
import org.optbench.sweep.error.SweepFailure;
import org.optbench.sweep.store.SweepRow;
import org.optbench.sweep.store.TrialRecord;

/**
 * The user-facing API: sweeps are created from specs, read, listed, cancelled, deleted, watched
 * and summarised. Every call is scoped to the caller: another user's sweep is NOT_FOUND, as if
 * it did not exist (admins see all). Bad specs are INVALID_ARGUMENT with the parser's message.
 */
final class SweepService extends SweepServiceGrpc.SweepServiceImplBase {

    /** Bytes per chunk of a streamed artifact. */
    static final int CHUNK_BYTES = 1 << 20;

    /** Most training points per trial GetResults returns. */
    static final int MAX_TRAIN_POINTS = 10_000;

    private final SweepCoordinator sweeps;
    private final SweepPublisher views;
    private final EventHub hub;
    private final Artifacts artifacts;
    private final WeightUploads uploads;

    SweepService(SweepCoordinator sweeps, SweepPublisher views, EventHub hub, Artifacts artifacts, WeightUploads uploads) {
        this.sweeps = sweeps;
        this.views = views;
        this.hub = hub;
        this.artifacts = artifacts;
        this.uploads = uploads;
    }

    @Override
    public StreamObserver<WeightsChunk> uploadWeights(StreamObserver<UploadedWeights> response) {
        return uploads.receive(user().user(), response);
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
            return views.sweep(sweeps.create(text, "spec", caller.user(), caller.local()).id());
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
        Calls.unary(response, () -> views.sweep(owned(request.getSweepId()).id()));
    }

    @Override
    public void listSweeps(ListSweepsRequest request, StreamObserver<ListSweepsResponse> response) {
        Calls.unary(response, () -> {
            Caller caller = user();
            int size = request.getPageSize() == 0 ? 50 : request.getPageSize();
            if (size < 1 || size > 1000) {
                throw Status.INVALID_ARGUMENT.withDescription("page_size " + size + " must lie in [1, 1000]").asRuntimeException();
            }
            int offset = pageOffset(request.getPageToken());
            List<Sweep> mine = sweeps.sweeps().stream().filter(r -> caller.owns(r.owner()))
                    .map(r -> Protos.sweep(r, sweeps.trials(r.id()), sweeps.isDriven(r)).toBuilder().clearSpec().build())
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

    /**
     * The offset a ListSweeps page token stands for: empty for the first page, else a whole number
     * in [0, 1,000,000,000] as ListSweeps wrote it; anything else is INVALID_ARGUMENT echoing at
     * most 64 characters of it.
     */
    static int pageOffset(String token) {
        if (token.isEmpty()) {
            return 0;
        }
        if (token.length() <= 10 && token.chars().allMatch(Character::isDigit)) {
            long offset = Long.parseLong(token);
            if (offset <= 1_000_000_000L) {
                return (int) offset;
            }
        }
        throw Status.INVALID_ARGUMENT.withDescription("page_token '" + SweepFailure.echo(token)
                + "' did not come from ListSweeps: pass the next_page_token of the previous page, or none")
                .asRuntimeException();
    }

    @Override
    public void cancelSweep(CancelSweepRequest request, StreamObserver<Sweep> response) {
        Calls.unary(response, () -> {
            String id = owned(request.getSweepId()).id();
            sweeps.cancel(id);
            return views.sweep(id);
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
            SweepRow row = owned(request.getSweepId());
            String id = row.id();
            if (!sweeps.isActive(id) && sweeps.isDriven(row)) {
                throw Status.FAILED_PRECONDITION.withDescription("sweep '" + id + "' is being run by another optbench "
                        + "process on the same store; its progress is shown there (this server sees its results as they are "
                        + "stored)").asRuntimeException();
            }
            ServerCallStreamObserver<SweepEvent> call = (ServerCallStreamObserver<SweepEvent>) response;
            hub.subscribe(id, caller.user(), call, () -> views.snapshot(id), request.getSteps(), caller::stillValid);
            if (!sweeps.isActive(id)) {
                hub.publish(id, SweepEvent.newBuilder().setSweepId(id).setDone(views.sweep(id)).build());
            }
        } catch (RuntimeException e) {
            response.onError(Failures.toStatus(e));
        }
    }

    @Override
    public void getResults(GetResultsRequest request, StreamObserver<Results> response) {
        Calls.unary(response, () -> {
            String id = owned(request.getSweepId()).id();
            if (request.getTrainPoints() < 0 || request.getTrainPoints() == 1 || request.getTrainPoints() > MAX_TRAIN_POINTS) {
                throw Status.INVALID_ARGUMENT.withDescription("train_points " + request.getTrainPoints() + " must be 0 (none) "
                        + "or lie in [2, " + MAX_TRAIN_POINTS + "]").asRuntimeException();
            }
            List<TrialRecord> trials = sweeps.trials(id);
            Results.Builder b = Results.newBuilder().setSweep(views.sweep(id));
            for (TrialRecord t : trials) {
                Trial.Builder trial = Protos.trial(t).toBuilder();
                if (request.getCurves()) {
                    sweeps.metrics(t.id(), "eval").forEach(m -> trial.addEvals(Protos.metric(m)));
                }
                if (request.getTrainPoints() > 0) {
                    Protos.thinned(sweeps.metrics(t.id(), "train"), request.getTrainPoints())
                            .forEach(m -> trial.addSteps(Protos.metric(m)));
                }
                b.addTrials(trial);
            }
            Findings findings = sweeps.findings(id);
            findings.rows().forEach(r -> b.addOptimizers(Protos.summary(r)));
            findings.claims().forEach(c -> b.addClaims(Protos.claim(c)));
            return b.build();
        });
    }

    @Override
    public void listArtifacts(ListArtifactsRequest request, StreamObserver<ListArtifactsResponse> response) {
        Calls.unary(response, () -> {
            String id = owned(request.getSweepId()).id();
            return ListArtifactsResponse.newBuilder().addAllArtifacts(artifacts.list(id, sweeps.trials(id))).build();
        });
    }

    @Override
    public void getArtifact(GetArtifactRequest request, StreamObserver<ArtifactChunk> response) {
        Path file;
        try {
            String id = owned(request.getSweepId()).id();
            TrialRecord trial = sweeps.trial(request.getTrialId()).filter(t -> t.sweepId().equals(id))
                    .orElseThrow(() -> Status.NOT_FOUND.withDescription("sweep " + id + " has no trial '"
                            + SweepFailure.echo(request.getTrialId()) + "'").asRuntimeException());
            file = artifacts.file(id, trial, request.getName());
        } catch (RuntimeException e) {
            response.onError(Failures.toStatus(e));
            return;
        }
        new ArtifactStream(file, (ServerCallStreamObserver<ArtifactChunk>) response).start();
    }

    /** Sends a file in chunks as fast as the client takes them (gRPC flow control), never buffering it whole. */
    private static final class ArtifactStream {
        private final Path file;
        private final ServerCallStreamObserver<ArtifactChunk> call;
        private java.nio.channels.SeekableByteChannel channel;
        private long offset;
        private boolean done;

        ArtifactStream(Path file, ServerCallStreamObserver<ArtifactChunk> call) {
            this.file = file;
            this.call = call;
        }

        void start() {
            try {
                channel = Files.newByteChannel(file);
            } catch (java.io.IOException e) {
                call.onError(Status.UNAVAILABLE.withDescription("cannot read " + file.getFileName()).asRuntimeException());
                return;
            }
            call.setOnCancelHandler(this::close);
            call.setOnReadyHandler(this::pump);
            pump();
        }

        private synchronized void pump() {
            try {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(CHUNK_BYTES);
                while (!done && call.isReady()) {
                    buffer.clear();
                    int n = channel.read(buffer);
                    if (n < 0) {
                        done = true;
                        close();
                        call.onCompleted();
                        return;
                    }
                    buffer.flip();
                    call.onNext(ArtifactChunk.newBuilder().setOffset(offset).setData(ByteString.copyFrom(buffer)).build());
                    offset += n;
                }
            } catch (java.io.IOException | RuntimeException e) {
                done = true;
                close();
                try {
                    call.onError(Status.UNAVAILABLE.withDescription("reading the artifact failed").asRuntimeException());
                } catch (RuntimeException alreadyClosed) {
                    // the client has gone
                }
            }
        }

        private synchronized void close() {
            done = true;
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (java.io.IOException e) {
                // nothing more to read from it
            }
        }
    }

    private static Caller user() {
        Caller caller = Caller.current();
        if (caller == null || caller.isWorker()) {
            throw Status.PERMISSION_DENIED.withDescription("worker tokens may only report progress").asRuntimeException();
        }
        return caller;
    }

    /**
     * The sweep the caller means by {@code idOrName}: one of theirs by id, else theirs of that
     * name (names are per user); an admin may also name another user's sweep when only one has
     * that name. NOT_FOUND otherwise: another user's sweep looks absent.
     */
    private SweepRow owned(String idOrName) {
        Caller caller = user();
        if (idOrName.isEmpty()) {
            throw Status.INVALID_ARGUMENT.withDescription("sweep_id is empty").asRuntimeException();
        }
        Optional<SweepRow> found = sweeps.sweep(idOrName).filter(r -> caller.owns(r.owner()))
                .or(() -> sweeps.sweepNamed(caller.user(), idOrName));
        if (found.isEmpty() && caller.admin()) {
            List<SweepRow> named = sweeps.sweepsNamed(idOrName);
            if (named.size() > 1) {
                throw Status.INVALID_ARGUMENT.withDescription(named.size() + " users have a sweep named '"
                        + Failures.bounded(idOrName) + "'; give its id: " + named.stream().map(SweepRow::id).toList())
                        .asRuntimeException();
            }
            found = named.stream().findFirst();
        }
        return found.orElseThrow(() -> Status.NOT_FOUND.withDescription("no sweep '"
                + SweepFailure.echo(idOrName) + "'" + (caller.admin() ? ""
                : " of user " + caller.user())).asRuntimeException());
    }
}
