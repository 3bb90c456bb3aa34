package org.optbench.sweep.store;

import java.nio.file.Path;

/**
 * The runs directory and the paths built in it from names that came from users (sweep ids, trial
 * ids): each name must be one plain path element, and the result is checked to stay under the
 * root, so no name can reach a file outside it.
 *
 * @param root the runs directory
 */
public record RunsDirectory(Path root) {

    public RunsDirectory {
        root = root.toAbsolutePath().normalize();
    }

    /** {@code root/names[0]/names[1]/...}; a name that is empty, a dot path or holds a separator is refused. */
    public Path resolve(String... names) {
        Path p = root;
        for (String name : names) {
            if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")
                    || name.contains("\\") || name.indexOf('\0') >= 0) {
                throw new StoreException("refusing the path element '" + name + "' under " + root
                        + ": names of sweeps and trials are plain names");
            }
            p = p.resolve(name);
        }
        Path normal = p.normalize();
        if (!normal.startsWith(root)) {
            throw new StoreException("refusing " + normal + ": it is outside the runs directory " + root);
        }
        return normal;
    }
}
