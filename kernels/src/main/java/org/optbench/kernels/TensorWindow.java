package org.optbench.kernels;

/**
 * The common shape of every backend's tensor handles: a window {@code [offset, offset + length)}
 * of storage the backend owns (a Java array on the CPU, a device buffer on OpenCL). A slice is a
 * smaller window of the same storage, checked to lie inside this one; {@link #own} turns a handle
 * a backend was given back into its own type, or names the foreign one. Subclasses hold the
 * storage and make windows of it.
 *
 * @param <T> the backend's tensor class
 */
public abstract class TensorWindow<T extends TensorWindow<T>> {

    private final int offset;
    private final int length;

    protected TensorWindow(int offset, int length) {
        this.offset = offset;
        this.length = length;
    }

    /** Where this window starts in its storage, in elements. */
    public final int offset() {
        return offset;
    }

    /** Number of elements in this window. */
    public final long length() {
        return length;
    }

    /** A view of {@code count} elements starting {@code from} elements into this window. */
    public final T slice(long from, long count) {
        TensorChecks.checkSlice(from, count, length);
        return window(offset + (int) from, (int) count);
    }

    /** The window {@code [offset, offset + length)} of this tensor's storage. */
    protected abstract T window(int offset, int length);

    /** {@code tensor} as the backend's own class {@code type}; a handle of another backend is an error naming it. */
    public static <T> T own(Class<T> type, Object tensor, String backend) {
        if (type.isInstance(tensor)) {
            return type.cast(tensor);
        }
        throw TensorChecks.foreignTensor(backend, tensor);
    }
}
