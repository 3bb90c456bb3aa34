package org.optbench.optim;

/** A hyperparameter outside its valid range; the message names it, the value and the range. */
public class HyperparameterException extends IllegalArgumentException {

    public HyperparameterException(String message) {
        super(message);
    }

    static float check(String name, float value, float min, boolean minInclusive, float max, boolean maxInclusive) {
        boolean ok = Float.isFinite(value)
                && (minInclusive ? value >= min : value > min)
                && (maxInclusive ? value <= max : value < max);
        if (!ok) {
            throw new HyperparameterException("invalid " + name + " " + value + ": must lie in "
                    + (minInclusive ? "[" : "(") + min + ", " + max + (maxInclusive ? "]" : ")"));
        }
        return value;
    }
}
