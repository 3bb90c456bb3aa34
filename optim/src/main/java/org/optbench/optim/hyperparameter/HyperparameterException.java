package org.optbench.optim.hyperparameter;

/**
 * A hyperparameter or parameter-group rule that cannot be used: a value outside its range, a
 * hyperparameter the optimizer does not have, a parameter no rule (or two rules) matched. The
 * message names the offending value and what is valid.
 */
public class HyperparameterException extends IllegalArgumentException {

    public HyperparameterException(String message) {
        super(message);
    }
}
