// Helpers shared by every kernel of the OpenCL backend. Built with -DGROUP=<n>, the work-group size
// of the row kernels (a power of two no larger than the device allows).
//
// Tensors arrive as a buffer and an element offset, because the model's tensors are unaligned
// slices of larger buffers. Sizes are ints: one tensor holds fewer than 2^31 elements.

#ifdef cl_khr_fp64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double wide;
#else
typedef float wide;
#endif

// Defines NAME(v, scratch): v combined over the work-group with COMBINE(x, y), a tree over
// GROUP items (scratch holds GROUP values); every item gets the result.
#define GROUP_REDUCTION(NAME, TYPE, COMBINE)                 \
inline TYPE NAME(TYPE v, __local TYPE *scratch) {            \
    int lid = get_local_id(0);                               \
    scratch[lid] = v;                                        \
    barrier(CLK_LOCAL_MEM_FENCE);                            \
    for (int s = GROUP / 2; s > 0; s >>= 1) {                \
        if (lid < s) {                                       \
            scratch[lid] = COMBINE(scratch[lid], scratch[lid + s]); \
        }                                                    \
        barrier(CLK_LOCAL_MEM_FENCE);                        \
    }                                                        \
    TYPE total = scratch[0];                                 \
    barrier(CLK_LOCAL_MEM_FENCE);                            \
    return total;                                            \
}

#define ADD(x, y) ((x) + (y))

GROUP_REDUCTION(groupSum, float, ADD)
GROUP_REDUCTION(groupMax, float, fmax)
GROUP_REDUCTION(groupSumWide, wide, ADD)

// The sum of x[i]^2 for i in [from, to), strided over the work-group, then added across it.
inline wide groupSumOfSquares(__global const float *x, int from, int to, __local wide *scratch) {
    wide acc = 0;
    for (int i = from + get_local_id(0); i < to; i += GROUP) {
        float v = x[i];
        acc += (wide) (v * v);
    }
    return groupSumWide(acc, scratch);
}
