package org.optbench.train.run;

import java.util.List;

/**
 * A run spec that cannot run: each problem names the setting, the value, what is valid and what
 * to change. Thrown before anything is allocated or trained.
 */
public final class RunSpecException extends RuntimeException {

    private final List<String> problems;

    public RunSpecException(String problem) {
        this(List.of(problem));
    }

    public RunSpecException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    public RunSpecException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0) : problems.size() + " problems: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
