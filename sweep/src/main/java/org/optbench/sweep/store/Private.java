package org.optbench.sweep.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files and directories only their owner may read: the runs directory (0700), the trial store
 * and trial files (0600). Where the file system has no POSIX permissions, nothing is changed.
 */
public final class Private {

    private Private() {
    }

    /**
     * Creates {@code dir} if needed; the directory itself and every parent this creates are made
     * 0700 (a trial's directory and its sweep's), parents that existed are left as they are.
     */
    public static Path directory(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        java.util.Deque<Path> missing = new java.util.ArrayDeque<>();
        for (Path p = absolute; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        Files.createDirectories(absolute);
        missing.add(absolute);
        for (Path p : missing) {
            try {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                return dir;   // the file system's own protection applies
            }
        }
        return dir;
    }

    /** Creates {@code file} empty if it is missing, and makes it 0600. */
    public static Path file(Path file) throws IOException {
        if (!Files.exists(file)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                return file;
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            } catch (java.nio.file.FileAlreadyExistsException createdMeanwhile) {
                // another process made it first; its permissions are set below
            }
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // the file system's own protection applies
        }
        return file;
    }
}
