// Element-wise kernels over flat runs: each work item handles four consecutive elements with
// float4 loads and stores (vload4 needs only float alignment, so unaligned slices are fine), and
// the last item finishes a ragged tail element by element.

__kernel void fill(__global float *out, int outOff, float value, int n) {
    int i = get_global_id(0) * 4;
    if (i + 4 <= n) {
        vstore4((float4) (value), 0, out + outOff + i);
    } else {
        for (; i < n; i++) {
            out[outOff + i] = value;
        }
    }
}

__kernel void residualForward(__global float *out, int outOff, __global const float *a, int aOff,
                              __global const float *b, int bOff, int n) {
    int i = get_global_id(0) * 4;
    if (i + 4 <= n) {
        vstore4(vload4(0, a + aOff + i) + vload4(0, b + bOff + i), 0, out + outOff + i);
    } else {
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] + b[bOff + i];
        }
    }
}

__kernel void axpby(__global float *out, int outOff, float alpha, __global const float *x, int xOff,
                    float beta, __global const float *y, int yOff, int n) {
    int i = get_global_id(0) * 4;
    if (i + 4 <= n) {
        vstore4(alpha * vload4(0, x + xOff + i) + beta * vload4(0, y + yOff + i), 0, out + outOff + i);
    } else {
        for (; i < n; i++) {
            out[outOff + i] = alpha * x[xOff + i] + beta * y[yOff + i];
        }
    }
}

// Stage 1 of sumOfSquares: work-group g adds the squares of its contiguous span of the input
// into partials[g] (wide precision).
__kernel void sumOfSquaresPartial(__global wide *partials, __global const float *inp, int inpOff, int n, int span) {
    __local wide scratch[GROUP];
    int g = get_group_id(0);
    int from = g * span;
    int to = min(n, from + span);
    wide s = groupSumOfSquares(inp + inpOff, from, to, scratch);
    if (get_local_id(0) == 0) {
        partials[g] = s;
    }
}

// Stage 2 of sumOfSquares: one work-group adds the partials in a fixed order and stores a float.
__kernel void sumOfSquares(__global float *out, int outOff, __global const wide *partials, int count) {
    __local wide scratch[GROUP];
    wide acc = 0;
    for (int i = get_local_id(0); i < count; i += GROUP) {
        acc += partials[i];
    }
    wide total = groupSumWide(acc, scratch);
    if (get_local_id(0) == 0) {
        out[outOff] = (float) total;
    }
}
