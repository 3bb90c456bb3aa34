// Lion (and Signum), one work item per element: the twin of LionKernel's CPU body.
__kernel void lionUpdate(__global float *param, int paramOff, __global const float *grad, int gradOff,
                         __global float *m, int mOff, int n, float lr, float beta1, float beta2, float decay,
                         float gradScale) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    float g = grad[gradOff + i] * gradScale;
    float mi = m[mOff + i];
    float c = beta1 * mi + (1.0f - beta1) * g;
    float u = c > 0.0f ? 1.0f : (c < 0.0f ? -1.0f : 0.0f);
    param[paramOff + i] = param[paramOff + i] * decay - u * lr;
    m[mOff + i] = beta2 * mi + (1.0f - beta2) * g;
}
