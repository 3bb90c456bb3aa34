// Token embedding lookup and its scatter-add gradient. The host checks token ids against the
// vocabulary before launching. Backward runs one work item per channel over all rows, so rows
// that share a token never race on an element and the sum order is fixed.
//
// Shapes: tokens (N); wte, dwte (V,C); out, dout (N,C).

__kernel void embeddingForward(__global float *out, int outOff, __global const int *tokens, int tokensOff,
                               __global const float *wte, int wteOff, int n, int c) {
    int gid = get_global_id(0);
    if (gid >= n * c) {
        return;
    }
    int row = gid / c;
    int j = gid % c;
    out[outOff + gid] = wte[wteOff + tokens[tokensOff + row] * c + j];
}

__kernel void embeddingBackward(__global float *dwte, int dwteOff, __global const float *dout, int doutOff,
                                __global const int *tokens, int tokensOff, int n, int c) {
    int j = get_global_id(0);
    if (j >= c) {
        return;
    }
    for (int row = 0; row < n; row++) {
        dwte[dwteOff + tokens[tokensOff + row] * c + j] += dout[doutOff + row * c + j];
    }
}
