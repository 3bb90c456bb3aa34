// Sophia's step, one work item per element: the twin of SophiaKernel's CPU body.
__kernel void sophiaUpdate(__global float *param, int paramOff, __global const float *grad, int gradOff,
                           __global float *m, int mOff, __global float *h, int hOff, int n, float lr, float beta1,
                           float rho, float eps, float decay, float gradScale) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    float g = grad[gradOff + i] * gradScale;
    float mi = beta1 * m[mOff + i] + (1.0f - beta1) * g;
    m[mOff + i] = mi;
    float ratio = fabs(mi) / (rho * h[hOff + i] + eps);
    ratio = ratio > 1.0f ? 1.0f : ratio;
    float u = mi > 0.0f ? ratio : (mi < 0.0f ? -ratio : (mi == 0.0f ? 0.0f : mi));
    param[paramOff + i] = param[paramOff + i] * decay - u * lr;
}
