package org.optbench.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.optbench.sweep.error.SweepSpecException;
import org.optbench.train.run.DataSpec;
import org.optbench.train.run.RunSpec;

/**
 * What a server offers by name and what a remote user's run may name: data sets ({@code optbench
 * server --dataset NAME=DIR}, prepared directories), initial weights ({@code --weights
 * NAME=FILE}) and the weights each user uploaded ({@code optbench weights upload}, kept under the
 * runs directory per user). A remote run names data as the default corpus, synthetic data or a
 * data set, and {@code init_weights} as one of the user's uploads (first) or the offered weights;
 * never a path of the server's machine. The local user of the CLI's embedded server may name
 * paths, since the machine is theirs.
 *
 * @param byName  prepared data directories by name
 * @param weights initial weights by name: the offered ones, and in a user's view also theirs
 * @param uploads where uploads are kept (one directory per user), or null when uploads are off
 */
public record Datasets(Map<String, Path> byName, Map<String, Path> weights, Path uploads) {

    /** The directory under the runs directory that holds uploads (no sweep id starts with '.'). */
    public static final String UPLOADS_DIR = ".uploads";
    /** An upload's file name: {@code NAME} + this. */
    public static final String UPLOAD_SUFFIX = ".safetensors";

    public Datasets {
        byName = Map.copyOf(byName);
        weights = Map.copyOf(weights);
    }

    public Datasets(Map<String, Path> byName) {
        this(byName, Map.of(), null);
    }

    public static Datasets none() {
        return new Datasets(Map.of());
    }

    /** These offers with uploads kept under {@code root}. */
    public Datasets withUploads(Path root) {
        return new Datasets(byName, weights, root);
    }

    /** The directory holding {@code owner}'s uploads: named by a hash of the user, so no user name becomes a path. */
    public Path uploadsOf(String owner) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(owner.getBytes(StandardCharsets.UTF_8));
            return uploads.resolve(HexFormat.of().formatHex(h, 0, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** What {@code owner}'s runs may name: the offered weights, overridden by the owner's own uploads of the same name. */
    public Datasets forOwner(String owner) {
        if (uploads == null) {
            return this;
        }
        Map<String, Path> mine = new TreeMap<>(weights);
        Path dir = uploadsOf(owner);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().endsWith(UPLOAD_SUFFIX) && Files.isRegularFile(f))
                        .forEach(f -> {
                            String file = f.getFileName().toString();
                            mine.put(file.substring(0, file.length() - UPLOAD_SUFFIX.length()), f);
                        });
            } catch (IOException e) {
                throw new SweepSpecException("cannot read your uploaded weights: " + e.getMessage());
            }
        }
        return new Datasets(byName, mine, uploads);
    }

    /** {@code run} with a data-set name in place of its directory and a weights name in place of its file. */
    public RunSpec resolve(RunSpec run) {
        RunSpec.Builder b = null;
        DataSpec d = run.data();
        Path dir = d.source() == DataSpec.Source.PREPARED ? named(byName, d.path()) : null;
        if (dir != null) {
            b = run.toBuilder().data(DataSpec.Source.PREPARED, dir);
        }
        Path init = run.model().initWeights() == null ? null : named(weights, run.model().initWeights());
        if (init != null) {
            b = (b == null ? run.toBuilder() : b).initWeights(init);
        }
        return b == null ? run : b.build();
    }

    private static Path named(Map<String, Path> names, Path path) {
        return path.getNameCount() == 1 ? names.get(path.toString()) : null;
    }

    /** Refuses a run that names a file or directory of the server's machine. */
    public void checkRemote(RunSpec run) {
        Path init = run.model().initWeights();
        if (init != null && named(weights, init) == null) {
            throw new SweepSpecException("init_weights '" + SweepSpecException.shorten(init.toString()) + "' is neither "
                    + "weights you uploaded nor weights this server offers " + new TreeSet<>(weights.keySet()) + ": a remote "
                    + "spec names initial weights by name, never a path of the server's machine; upload a file with "
                    + "'optbench weights upload FILE --name NAME'");
        }
        DataSpec d = run.data();
        if (d.source() == DataSpec.Source.TOKEN_FILE || d.source() == DataSpec.Source.PREPARED && named(byName, d.path()) == null) {
            throw new SweepSpecException("data '" + SweepSpecException.shorten(d.path().toString()) + "' is not a data set "
                    + "of this server: a remote spec names data as default, synthetic or one of " + new TreeSet<>(byName
                    .keySet()) + ", never a path of the server's machine");
        }
        if (run.optimizer().groups() != null) {
            throw new SweepSpecException("groups from a file of the server: a remote spec may not name paths of the server's "
                    + "machine");
        }
    }
}
