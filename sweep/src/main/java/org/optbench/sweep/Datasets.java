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
import org.optbench.sweep.store.Private;
import org.optbench.sweep.store.StoreException;
import org.optbench.train.run.DataSpec;
import org.optbench.train.run.RunSpec;

/**
 * What a server offers by name and what a remote user's run may name: data sets ({@code optbench
 * server --dataset NAME=DIR}, prepared directories), initial weights ({@code --weights
 * NAME=FILE}) and the weights each user uploaded ({@code optbench weights upload}, kept under the
 * runs directory per user). A remote run names data as the default corpus, synthetic data or a
 * data set, and {@code init_weights} as one of the user's uploads (first) or the offered weights;
 * never a path of the server's machine. The local user of the CLI's embedded server may name
 * paths, since the machine is theirs. Every upload is also kept by its content (SHA-256) under
 * {@link #VERSIONS_DIR}: a sweep pins the contents its names had when it was created
 * ({@link #pin}) and its trials read those ({@link #pinned}), whatever is uploaded later.
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
    /** The directory, in a user's uploads, of every version of their weights by content: SHA256.safetensors. */
    public static final String VERSIONS_DIR = ".versions";

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

    /** The bytes {@code owner}'s weights take: every version kept (a name is a link to one of them). */
    public long uploadedBytes(String owner) {
        if (uploads == null || !Files.isDirectory(uploadsOf(owner).resolve(VERSIONS_DIR))) {
            return 0;
        }
        Path versions = uploadsOf(owner).resolve(VERSIONS_DIR);
        try (Stream<Path> files = Files.list(versions)) {
            long total = 0;
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(UPLOAD_SUFFIX)).toList()) {
                total += Files.size(f);
            }
            return total;
        } catch (IOException e) {
            throw new StoreException("cannot read the uploads' sizes: " + e.getMessage(), e);
        }
    }

    /** The file of {@code owner}'s weights whose content has SHA-256 {@code sha256} (hex). */
    public Path versionOf(String owner, String sha256) {
        return uploadsOf(owner).resolve(VERSIONS_DIR).resolve(sha256 + UPLOAD_SUFFIX);
    }

    /**
     * Keeps {@code file} (one of {@code owner}'s uploads) as a version by its content and returns
     * its SHA-256 hex: a hard link taken first (so a re-upload that replaces the name meanwhile does
     * not change what is hashed), hashed, then named by the hash.
     */
    public String keepVersion(String owner, Path file) {
        try {
            Path versions = Private.directory(uploadsOf(owner).resolve(VERSIONS_DIR));
            Path snapshot = versions.resolve(".snapshot-" + java.util.UUID.randomUUID() + ".part");
            try {
                Files.createLink(snapshot, file);
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(file, snapshot);
            }
            String sha = sha256(snapshot);
            Path version = versions.resolve(sha + UPLOAD_SUFFIX);
            if (Files.exists(version)) {
                Files.delete(snapshot);
            } else {
                Files.move(snapshot, version, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return sha;
        } catch (IOException e) {
            throw new StoreException("cannot keep a version of the weights: " + e.getMessage(), e);
        }
    }

    /** The SHA-256 of {@code file}'s bytes, hex. */
    static String sha256(Path file) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Pins the uploads among {@code names} (the init_weights a sweep's runs name) as they are now:
     * name to the SHA-256 of the version kept. Offered weights and paths are not uploads and are
     * not pinned.
     */
    public Map<String, String> pin(String owner, java.util.Collection<Path> names) {
        Map<String, String> pins = new TreeMap<>();
        if (uploads == null) {
            return pins;
        }
        for (Path name : names) {
            Path file = name.getNameCount() == 1 ? uploadsOf(owner).resolve(name + UPLOAD_SUFFIX) : null;
            if (file != null && SweepSpec.NAME.matcher(name.toString()).matches() && Files.isRegularFile(file)) {
                pins.put(name.toString(), keepVersion(owner, file));
            }
        }
        return pins;
    }

    /** These offers with {@code owner}'s pinned names read from the versions they were pinned to. */
    public Datasets pinned(String owner, Map<String, String> pins) {
        if (pins.isEmpty()) {
            return this;
        }
        Map<String, Path> fixed = new TreeMap<>(weights);
        pins.forEach((name, sha) -> fixed.put(name, versionOf(owner, sha)));
        return new Datasets(byName, fixed, uploads);
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
