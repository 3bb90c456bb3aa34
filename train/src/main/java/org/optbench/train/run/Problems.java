package org.optbench.train.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The problems found while validating a run spec, each naming its setting, value, valid range and fix. */
final class Problems {

    private final List<String> found = new ArrayList<>();

    void add(String problem) {
        found.add(problem);
    }

    /** {@code key value} must lie in [min, max] ({@code meaning}); both bounds inclusive. */
    void range(String key, Number value, long min, long max, String meaning) {
        if (value != null && (value.longValue() < min || value.longValue() > max)) {
            add(key + " " + value + ": must be a whole number in [" + format(min) + ", " + format(max) + "] (" + meaning
                    + "); set " + key + " within that range");
        }
    }

    /** {@code key value} must be finite and at least {@code min} ({@code meaning}). */
    void atLeast(String key, double value, double min, String meaning) {
        if (!(value >= min) || Double.isInfinite(value)) {
            add(key + " " + value + ": must be a finite number >= " + min + " (" + meaning + "); set " + key
                    + " to " + min + " or more");
        }
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** Throws every problem found so far, if any. */
    void throwIfAny() {
        if (!found.isEmpty()) {
            throw new RunSpecException(found);
        }
    }

    static String format(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
