package org.optbench.cli;

import com.google.protobuf.ByteString;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.optbench.cli.remote.ClientOptions;
import org.optbench.cli.remote.Connection;
import org.optbench.proto.v1.UploadedWeights;
import org.optbench.proto.v1.WeightsChunk;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code optbench weights upload FILE --name NAME}: sends initial weights (a safetensors file
 * written by optbench, e.g. a trial's {@code weights.safetensors}) to the server in 1 MiB chunks,
 * no faster than gRPC's flow control lets it, where the caller's specs may then name them as
 * {@code init_weights: NAME}.
 */
@Command(name = "weights", mixinStandardHelpOptions = true, description = "Initial weights on a server.",
        subcommands = WeightsCommand.Upload.class)
final class WeightsCommand {

    /** The upload. */
    @Command(name = "upload", mixinStandardHelpOptions = true, description = "Upload initial weights that your specs may "
            + "then name as init_weights: NAME.")
    static final class Upload implements Callable<Integer> {

        @Parameters(index = "0", description = "a safetensors file written by optbench (train --save-weights, or a trial's "
                + "weights.safetensors)")
        Path file;

        @Option(names = "--name", required = true, description = "the name specs use (init_weights: NAME)")
        String name;

        @Mixin
        StudyStore where;

        @Mixin
        ClientOptions client;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such file: " + file + "; give a safetensors file written by optbench");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Connection c = Clients.connect(client, where); InputStream in = Files.newInputStream(file)) {
                CompletableFuture<UploadedWeights> done = new CompletableFuture<>();
                StreamObserver<WeightsChunk> send = c.async().uploadWeights(new StreamObserver<>() {
                    @Override
                    public void onNext(UploadedWeights value) {
                        done.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.completeExceptionally(new IllegalStateException("the server answered nothing"));
                    }
                });
                byte[] buffer = new byte[1 << 20];
                boolean first = true;
                int n;
                ClientCallStreamObserver<WeightsChunk> call = (ClientCallStreamObserver<WeightsChunk>) send;
                while (!done.isDone() && (n = in.read(buffer)) >= 0) {
                    while (!call.isReady() && !done.isDone()) {
                        Thread.sleep(1);   // gRPC flow control: send no faster than the server takes it
                    }
                    WeightsChunk.Builder chunk = WeightsChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, n));
                    if (first) {
                        chunk.setName(name);
                        first = false;
                    }
                    send.onNext(chunk.build());
                }
                if (first) {
                    send.onNext(WeightsChunk.newBuilder().setName(name).build());
                }
                send.onCompleted();
                UploadedWeights got;
                try {
                    got = done.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
                out.printf("uploaded %s: %,d bytes, sha256 %s, model %s; name it in a spec as init_weights: %s%n",
                        got.getName(), got.getBytes(), got.getSha256(), got.getModel(), got.getName());
            }
            out.flush();
            return 0;
        }
    }
}
