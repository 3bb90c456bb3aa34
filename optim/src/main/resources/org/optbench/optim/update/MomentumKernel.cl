// Bias-corrected EMA momentum, one work item per element: the twin of MomentumKernel's CPU body.
__kernel void momentumUpdate(__global float *param, int paramOff, __global const float *grad, int gradOff,
                             __global float *m, int mOff, int n, float lr, float beta1, float decay, float gradScale,
                             float c1) {
    float scale = lr * c1;
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    float g = grad[gradOff + i] * gradScale;
    float mi = beta1 * m[mOff + i] + (1.0f - beta1) * g;
    m[mOff + i] = mi;
    param[paramOff + i] = param[paramOff + i] * decay - mi * scale;
}
