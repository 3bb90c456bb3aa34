// Softmax cross-entropy with the z-loss term. Forward: one work-group per row of logits caches
// the row's log-sum-exp. Backward: one work item per logit rebuilds the softmax from it, so
// dlogits may overwrite the logits in place. The host checks targets before launching.
//
// Shapes: logits, dlogits (N,V); targets, ce, lse (N).

__kernel void crossEntropyForward(__global float *ce, int ceOff, __global float *lse, int lseOff,
                                  __global const float *logits, int logitsOff, __global const int *targets,
                                  int targetsOff, int n, int v) {
    __local float scratch[GROUP];
    int row = get_group_id(0);
    int lid = get_local_id(0);
    __global const float *x = logits + logitsOff + (long) row * v;
    float mx = -INFINITY;
    for (int i = lid; i < v; i += GROUP) {
        mx = fmax(mx, x[i]);
    }
    mx = groupMax(mx, scratch);
    float s = 0.0f;
    for (int i = lid; i < v; i += GROUP) {
        s += exp(x[i] - mx);
    }
    s = groupSum(s, scratch);
    if (lid == 0) {
        float l = mx + log(s);
        lse[lseOff + row] = l;
        ce[ceOff + row] = l - x[targets[targetsOff + row]];
    }
}

__kernel void crossEntropyBackward(__global float *dlogits, int dlogitsOff, __global const float *logits,
                                   int logitsOff, __global const float *lse, int lseOff,
                                   __global const int *targets, int targetsOff, float scale, float zCoef,
                                   int n, int v) {
    long gid = get_global_id(0);
    if (gid >= (long) n * v) {
        return;
    }
    int row = (int) (gid / v);
    int col = (int) (gid % v);
    float l = lse[lseOff + row];
    float d = exp(logits[logitsOff + gid] - l) * (scale * (1.0f + 2.0f * zCoef * l));
    if (col == targets[targetsOff + row]) {
        d -= scale;
    }
    dlogits[dlogitsOff + gid] = d;
}
