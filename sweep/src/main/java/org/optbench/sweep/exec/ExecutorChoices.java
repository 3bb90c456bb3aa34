package org.optbench.sweep.exec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.optbench.sweep.error.SweepSpecException;

/**
 * The executors a server offers a sweep, as its operator configured them: the default (what a
 * spec without {@code executor:} gets) and named Slurm profiles (partition, account, QOS, extra
 * arguments and the rest, from the server's profile file). A remote user's spec may choose the
 * default's type or a profile by name, and nothing else; the local user of the CLI's embedded
 * server, who owns the machine, may also write an executor out.
 *
 * @param defaultExecutor the executor of specs that name none
 * @param profiles        Slurm profiles by name
 */
public record ExecutorChoices(ExecutorSpec defaultExecutor, Map<String, SlurmExecutorSpec> profiles) {

    public ExecutorChoices {
        profiles = Map.copyOf(profiles);
    }

    /** Only {@code executor}, with no profiles. */
    public static ExecutorChoices only(ExecutorSpec executor) {
        return new ExecutorChoices(executor, Map.of());
    }

    /**
     * Reads a profile file: a YAML mapping of profile names to Slurm settings (the keys of a
     * spec's {@code executor:} for type slurm, without {@code type}).
     */
    public static Map<String, SlurmExecutorSpec> readProfiles(Path file) {
        Map<String, Map<String, Object>> raw;
        try {
            raw = new ObjectMapper(new YAMLFactory()).readValue(Files.readString(file),
                    new TypeReference<Map<String, Map<String, Object>>>() { });
        } catch (IOException e) {
            throw new SweepSpecException("cannot read the Slurm profiles " + file + ": " + e.getMessage());
        }
        Map<String, SlurmExecutorSpec> profiles = new LinkedHashMap<>();
        if (raw != null) {
            raw.forEach((name, settings) -> {
                Map<String, Object> withType = new LinkedHashMap<>(settings == null ? Map.of() : settings);
                withType.put("type", SlurmExecutorSpec.TYPE);
                profiles.put(name, (SlurmExecutorSpec) ExecutorSpec.parse(withType, file + ": profile " + name));
            });
        }
        return profiles;
    }

    /**
     * The executor a spec's {@code request} gets here: the default when it asks for none, the
     * profile it names, the default when it asks for the default's type, and, for the
     * {@code trusted} local user only, what it writes out. Anything else is an error naming what
     * this server offers.
     */
    public ExecutorSpec resolve(ExecutorRequest request, boolean trusted) {
        if (request == null) {
            return defaultExecutor;
        }
        if (request.profile() != null) {
            SlurmExecutorSpec p = profiles.get(request.profile());
            if (p == null) {
                throw new SweepSpecException("this server has no Slurm profile '" + request.profile() + "'; it offers "
                        + offered());
            }
            return p;
        }
        if (trusted) {
            return request.inline();
        }
        if (request.inline().equals(plain(defaultExecutor.type()))) {
            return defaultExecutor;
        }
        throw new SweepSpecException("a spec may choose among this server's executors, " + offered() + ", and set nothing "
                + "else: write executor: {type: " + defaultExecutor.type() + "}" + (profiles.isEmpty() ? ""
                : " or executor: {type: slurm, profile: NAME}") + ", or leave executor out");
    }

    private static ExecutorSpec plain(String type) {
        return ExecutorSpec.parse(Map.of("type", type), "default");
    }

    private String offered() {
        return "the default (" + defaultExecutor.type() + ")" + (profiles.isEmpty() ? " and no Slurm profiles"
                : " and the Slurm profiles " + new TreeSet<>(profiles.keySet()));
    }
}
