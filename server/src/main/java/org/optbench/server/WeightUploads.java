package org.optbench.server;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.optbench.model.ModelConfig;
import org.optbench.proto.v1.UploadedWeights;
import org.optbench.proto.v1.WeightsChunk;
import org.optbench.sweep.SweepCoordinator;

/**
 * Receives one user's upload of initial weights: chunks go to a private temporary file in the
 * user's upload directory (named by a hash of the user, under the runs directory), counted
 * against the size limit as they arrive; when the stream ends, the file must be a model's
 * weights (safetensors with optbench's metadata and exactly the model's tensors), and only then
 * replaces {@code NAME.safetensors}. A failed, oversized or cancelled upload leaves nothing.
 */
final class WeightUploads {

    private final SweepCoordinator sweeps;
    private final long maxBytes;

    WeightUploads(SweepCoordinator sweeps, long maxBytes) {
        this.sweeps = sweeps;
        this.maxBytes = maxBytes;
    }

    /** The request stream of one upload by {@code owner}, answering on {@code response}. */
    StreamObserver<WeightsChunk> receive(String owner, StreamObserver<UploadedWeights> response) {
        return new Upload(owner, response);
    }

    private final class Upload implements StreamObserver<WeightsChunk> {
        private final String owner;
        private final StreamObserver<UploadedWeights> response;
        private String name;
        private Path temp;
        private OutputStream out;
        private MessageDigest sha;
        private long bytes;
        private boolean failed;

        Upload(String owner, StreamObserver<UploadedWeights> response) {
            this.owner = owner;
            this.response = response;
        }

        @Override
        public void onNext(WeightsChunk chunk) {
            if (failed) {
                return;
            }
            try {
                if (name == null) {
                    open(chunk.getName());
                }
                ByteString data = chunk.getData();
                if (bytes + data.size() > maxBytes) {
                    fail(new LimitExceededException("weights '" + name + "' exceed the server's upload limit of "
                            + maxBytes + " bytes (--max-upload-bytes)"));
                    return;
                }
                data.writeTo(out);
                bytes += data.size();
            } catch (IOException e) {
                fail(new UncheckedIOException("cannot store the upload: " + e.getMessage(), e));
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        private void open(String requested) throws IOException {
            temp = sweeps.openUpload(owner, requested);
            name = requested;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
            out = new DigestOutputStream(Files.newOutputStream(temp), sha);
        }

        @Override
        public void onError(Throwable t) {
            discard();
        }

        @Override
        public void onCompleted() {
            if (failed) {
                return;
            }
            if (name == null) {
                fail(Status.INVALID_ARGUMENT.withDescription("an upload needs at least one message with the weights' name")
                        .asRuntimeException());
                return;
            }
            try {
                out.close();
                ModelConfig model = sweeps.acceptUpload(owner, name, temp);
                response.onNext(UploadedWeights.newBuilder().setName(name).setBytes(bytes)
                        .setSha256(HexFormat.of().formatHex(sha.digest())).setModel(String.format(
                                "vocab %d, d_model %d, layers %d, heads %d, seq_len %d", model.vocabSize(), model.dModel(),
                                model.nLayers(), model.nHeads(), model.seqLen())).build());
                response.onCompleted();
            } catch (IOException e) {
                fail(new UncheckedIOException("cannot store the upload: " + e.getMessage(), e));
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        /** Ends the upload with {@code e}'s status, through {@link Failures} like every other call. */
        private void fail(RuntimeException e) {
            failed = true;
            discard();
            response.onError(Failures.toStatus(e));
        }

        private void discard() {
            try {
                if (out != null) {
                    out.close();
                }
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException e) {
                // a temporary file left behind holds nothing anyone can name
            }
        }
    }
}
