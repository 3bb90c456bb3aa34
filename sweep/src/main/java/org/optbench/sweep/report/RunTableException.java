package org.optbench.sweep.report;

/**
 * A table of runs that cannot be read: a missing column, or a row whose seed or loss is not a
 * number. The message names the file, the row or column, and the fix.
 */
public class RunTableException extends IllegalArgumentException {

    public RunTableException(String message) {
        super(message);
    }
}
