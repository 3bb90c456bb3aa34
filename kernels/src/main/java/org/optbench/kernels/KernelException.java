package org.optbench.kernels;

/**
 * Raised when a backend cannot run an operation as asked: a tensor too small for the stated
 * dimensions, a buffer larger than the backend can address, or a device failure.
 */
public class KernelException extends RuntimeException {

    public KernelException(String message) {
        super(message);
    }

    public KernelException(String message, Throwable cause) {
        super(message, cause);
    }
}
