// LayerNorm without bias (eps 1e-5) over rows of C channels: one work-group per row for the
// forward pass and the input gradient, one work item per channel for the weight gradient (a loop
// over rows, so no two items write the same element).
//
// Shapes: inp, out, dout, dinp (N,C); weight, dweight (C); mean, rstd (N).

#define LN_EPS 1e-5f

__kernel void layerNormForward(__global float *out, int outOff, __global float *mean, int meanOff,
                               __global float *rstd, int rstdOff, __global const float *inp, int inpOff,
                               __global const float *weight, int weightOff, int n, int c) {
    __local float scratch[GROUP];
    int row = get_group_id(0);
    int lid = get_local_id(0);
    __global const float *x = inp + inpOff + row * c;
    __global const float *w = weight + weightOff;
    __global float *o = out + outOff + row * c;
    float s = 0.0f;
    for (int i = lid; i < c; i += GROUP) {
        s += x[i];
    }
    float m = groupSum(s, scratch) / c;
    float sq = 0.0f;
    for (int i = lid; i < c; i += GROUP) {
        float d = x[i] - m;
        sq += d * d;
    }
    float r = 1.0f / sqrt(groupSum(sq, scratch) / c + LN_EPS);
    for (int i = lid; i < c; i += GROUP) {
        o[i] = (x[i] - m) * r * w[i];
    }
    if (lid == 0) {
        mean[meanOff + row] = m;
        rstd[rstdOff + row] = r;
    }
}

// dinp (N,C) += the input gradient; the weight gradient is layerNormWeightGradient's.
__kernel void layerNormBackward(__global float *dinp, int dinpOff, __global const float *dout, int doutOff,
                                __global const float *inp, int inpOff, __global const float *weight, int weightOff,
                                __global const float *mean, int meanOff, __global const float *rstd, int rstdOff,
                                int n, int c) {
    __local float scratch[GROUP];
    int row = get_group_id(0);
    int lid = get_local_id(0);
    __global const float *x = inp + inpOff + row * c;
    __global const float *dy = dout + doutOff + row * c;
    __global const float *w = weight + weightOff;
    __global float *dx = dinp + dinpOff + row * c;
    float m = mean[meanOff + row];
    float r = rstd[rstdOff + row];
    float s1 = 0.0f;
    float s2 = 0.0f;
    for (int i = lid; i < c; i += GROUP) {
        float xhat = (x[i] - m) * r;
        float dnorm = dy[i] * w[i];
        s1 += dnorm;
        s2 += dnorm * xhat;
    }
    float mean1 = groupSum(s1, scratch) / c;
    float mean2 = groupSum(s2, scratch) / c;
    for (int i = lid; i < c; i += GROUP) {
        float xhat = (x[i] - m) * r;
        float dnorm = dy[i] * w[i];
        dx[i] += (dnorm - mean1 - xhat * mean2) * r;
    }
}

// dweight (C) += sum over rows of dout * xhat.
__kernel void layerNormWeightGradient(__global float *dweight, int dweightOff, __global const float *dout, int doutOff,
                                      __global const float *inp, int inpOff, __global const float *mean, int meanOff,
                                      __global const float *rstd, int rstdOff, int n, int c) {
    int j = get_global_id(0);
    if (j >= c) {
        return;
    }
    float acc = 0.0f;
    for (int row = 0; row < n; row++) {
        float xhat = (inp[inpOff + row * c + j] - mean[meanOff + row]) * rstd[rstdOff + row];
        acc = fma(dout[doutOff + row * c + j], xhat, acc);
    }
    dweight[dweightOff + j] += acc;
}
