// The row-wise parts of causal attention; the products around them are batched matmul launches.
// One work-group per row of att (B,H,T,T); row r holds query position r % T, which sees keys
// [0, r % T].

// att row = softmax(scale * row) over the visible keys, zero above the diagonal.
__kernel void attentionSoftmax(__global float *att, int attOff, int t, float scale) {
    __local float scratch[GROUP];
    int row = get_group_id(0);
    int lid = get_local_id(0);
    int count = row % t + 1;
    __global float *a = att + attOff + (long) row * t;
    float mx = -INFINITY;
    for (int j = lid; j < count; j += GROUP) {
        mx = fmax(mx, a[j]);
    }
    float shift = groupMax(mx, scratch) * scale;
    float s = 0.0f;
    for (int j = lid; j < count; j += GROUP) {
        float e = exp(a[j] * scale - shift);
        a[j] = e;
        s += e;
    }
    float inv = 1.0f / groupSum(s, scratch);
    for (int j = lid; j < t; j += GROUP) {
        a[j] = j < count ? a[j] * inv : 0.0f;
    }
}

// ds row = p * (dp - sum(p * dp)) * scale from dp held in ds, zero above the diagonal.
__kernel void attentionSoftmaxBackward(__global float *ds, int dsOff, __global const float *att, int attOff,
                                       int t, float scale) {
    __local float scratch[GROUP];
    int row = get_group_id(0);
    int lid = get_local_id(0);
    int count = row % t + 1;
    __global float *d = ds + dsOff + (long) row * t;
    __global const float *p = att + attOff + (long) row * t;
    float dot = 0.0f;
    for (int j = lid; j < count; j += GROUP) {
        dot += p[j] * d[j];
    }
    dot = groupSum(dot, scratch);
    for (int j = lid; j < t; j += GROUP) {
        d[j] = j < count ? p[j] * (d[j] - dot) * scale : 0.0f;
    }
}
