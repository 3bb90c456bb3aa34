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

// The sum of v over the work-group; every item gets the total. scratch holds GROUP floats.
inline float groupSum(float v, __local float *scratch) {
    int lid = get_local_id(0);
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = GROUP / 2; s > 0; s >>= 1) {
        if (lid < s) {
            scratch[lid] += scratch[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float total = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return total;
}

// The maximum of v over the work-group; every item gets it. scratch holds GROUP floats.
inline float groupMax(float v, __local float *scratch) {
    int lid = get_local_id(0);
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = GROUP / 2; s > 0; s >>= 1) {
        if (lid < s) {
            scratch[lid] = fmax(scratch[lid], scratch[lid + s]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float total = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return total;
}

// The sum of v over the work-group in the widest float the device has; every item gets it.
inline wide groupSumWide(wide v, __local wide *scratch) {
    int lid = get_local_id(0);
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = GROUP / 2; s > 0; s >>= 1) {
        if (lid < s) {
            scratch[lid] += scratch[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    wide total = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return total;
}

// The sum of x[i]^2 for i in [from, to), strided over the work-group, then added across it.
inline wide groupSumOfSquares(__global const float *x, int from, int to, __local wide *scratch) {
    wide acc = 0;
    for (int i = from + get_local_id(0); i < to; i += GROUP) {
        float v = x[i];
        acc += (wide) (v * v);
    }
    return groupSumWide(acc, scratch);
}
