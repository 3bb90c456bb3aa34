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

    /** Creates {@code dir} (and its parents) if needed; the directory itself is made 0700. */
    public static Path directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // the file system's own protection applies
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
