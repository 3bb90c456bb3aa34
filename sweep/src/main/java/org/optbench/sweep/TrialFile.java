package org.optbench.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.optbench.sweep.store.Private;
import org.optbench.sweep.store.StoreException;
import org.optbench.train.run.RunJson;
import org.optbench.train.run.RunSpec;

/**
 * The file a trial's worker reads, {@code <trial dir>/trial.json}: the trial's id and attempt,
 * where and with which token it reports (absent when nothing listens), the run itself as a
 * {@link RunSpec}, and the worker heap the run was validated against when the sweep was
 * submitted (the worker checks against the same figure). Readable by its owner only, since it
 * holds the attempt's token.
 *
 * @param id        the trial id
 * @param attempt   the attempt number, from 1
 * @param report    the server and token to report to, or null
 * @param run       the run to train
 * @param heapBytes the heap the run was validated against, or 0 when that was not known
 * @param saveWeights whether the final weights go into the trial's directory ({@code weights.safetensors})
 */
public record TrialFile(String id, int attempt, Report report, RunSpec run, long heapBytes, boolean saveWeights) {

    public static final String NAME = "trial.json";

    /**
     * Where a worker reports, the token of its attempt, and for a TLS server the PEM certificates
     * the worker trusts (the server's own chain), null for plaintext.
     */
    public record Report(String server, String token, String trustPem) {
    }

    public static TrialFile read(Path dir) throws IOException {
        return RunJson.read(Files.readString(dir.resolve(NAME)), TrialFile.class, dir.resolve(NAME).toString());
    }

    /** Writes the file into {@code dir} (created if needed), readable by its owner only, whole or not at all. */
    public void write(Path dir) {
        Path file = dir.resolve(NAME);
        try {
            Private.directory(dir);
            Path partial = dir.resolve(NAME + ".partial");
            Files.deleteIfExists(partial);
            Private.file(partial);
            RunJson.writeFile(partial, this);
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StoreException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
