package org.optbench.sweep.exec;

import java.util.Map;
import java.util.Set;
import org.optbench.sweep.error.SweepSpecException;

/**
 * What a spec's {@code executor:} mapping asks for: a named Slurm profile of the server
 * ({@code {type: slurm, profile: gpu}}), or an executor with its settings written out, which only
 * the local user may give (see {@link ExecutorChoices}).
 *
 * @param profile the name of a server profile, or null
 * @param inline  the executor written out in the spec, or null
 */
public record ExecutorRequest(String profile, ExecutorSpec inline) {

    public ExecutorRequest {
        if ((profile == null) == (inline == null)) {
            throw new IllegalArgumentException("an executor request names a profile or gives an executor, not both");
        }
    }

    /** Reads a spec's {@code executor:} mapping. */
    public static ExecutorRequest parse(Map<String, Object> node, String source) {
        if (!node.containsKey("profile")) {
            return new ExecutorRequest(null, ExecutorSpec.parse(node, source));
        }
        ExecutorSpec.checkKeys(node, Set.of("type", "profile"), source);
        Object type = node.getOrDefault("type", SlurmExecutorSpec.TYPE);
        if (!SlurmExecutorSpec.TYPE.equals(type)) {
            throw new SweepSpecException(source + ": executor.profile names a Slurm profile; its type is slurm, not " + type);
        }
        String name = String.valueOf(node.get("profile"));
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new SweepSpecException(source + ": executor.profile '" + SweepSpecException.shorten(name)
                    + "' is not a profile name");
        }
        return new ExecutorRequest(name, null);
    }
}
