package org.optbench.kernels;

/**
 * The argument checks every backend makes before it launches a kernel, with the messages users
 * see: a tensor shorter than its dimensions need, heads that do not split the channels evenly, a
 * token or target id outside the vocabulary. One place, so the backends fail alike.
 */
public final class TensorChecks {

    private TensorChecks() {
    }

    /** Fails unless {@code length} covers the {@code elements} the dimensions need. */
    public static void requireLength(long length, long elements, String name) {
        if (length < elements) {
            throw new KernelException(name + " holds " + length + " floats but the dimensions need " + elements);
        }
    }

    /** Fails unless the slice [from, from + count) lies inside a tensor of {@code length} elements. */
    public static void checkSlice(long from, long count, long length) {
        if (from < 0 || count < 0 || from + count > length) {
            throw new KernelException("slice [" + from + ", " + (from + count)
                    + ") lies outside a tensor of " + length + " elements");
        }
    }

    /** Fails unless a token tensor of {@code length} ints covers {@code elements}. */
    public static void requireInts(long length, long elements) {
        if (length < elements) {
            throw new KernelException("token tensor holds " + length + " ints but the dimensions need " + elements);
        }
    }

    /** Fails unless {@code c} channels split into {@code h} heads of an even size (RoPE pairs). */
    public static void checkHeads(int c, int h) {
        if (h <= 0 || c % h != 0 || (c / h) % 2 != 0) {
            throw new KernelException("channels " + c + " must split into " + h + " heads of an even size");
        }
    }

    /** Fails unless {@code kernel} gets the state buffers and scalars it takes. */
    public static void checkElementwise(ElementwiseKernel kernel, int stateBuffers, int scalars) {
        if (stateBuffers != kernel.stateBuffers() || scalars != kernel.scalars()) {
            throw new KernelException(kernel.name() + " takes " + kernel.stateBuffers() + " state buffers and "
                    + kernel.scalars() + " scalars; got " + stateBuffers + " and " + scalars);
        }
    }

    /** Fails unless {@code blockSize} divides {@code n}. */
    public static void checkBlocks(int blockSize, long n) {
        if (blockSize <= 0 || n % blockSize != 0) {
            throw new KernelException("block size " + blockSize + " must divide the tensor's " + n + " elements");
        }
    }

    /** The error for an input token id outside the embedding table's vocabulary. */
    public static KernelException tokenOutsideVocabulary(int token, int row, int vocab) {
        return new KernelException("token id " + token + " at position " + row
                + " is outside the vocabulary [0, " + vocab + "): the tokens come from a larger "
                + "vocabulary; pass --vocab " + (token + 1) + " or more, or use the tokenizer that fits");
    }

    /** The error for a target id outside the logits' vocabulary. */
    public static KernelException targetOutsideVocabulary(int target, int row, int vocab) {
        return new KernelException("target id " + target + " at position " + row
                + " is outside the vocabulary [0, " + vocab + ")");
    }

    /** The error for a tensor that {@code backend} did not allocate (null included). */
    public static KernelException foreignTensor(String backend, Object tensor) {
        return new KernelException("the " + backend + " backend was given a tensor of another backend: "
                + (tensor == null ? "null" : tensor.getClass().getName()));
    }
}
