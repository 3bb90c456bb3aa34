// AdamW, one work item per element: the twin of AdamWKernel's CPU body.
__kernel void adamwUpdate(__global float *param, int paramOff, __global const float *grad, int gradOff,
                          __global float *m, int mOff, __global float *v, int vOff, int n, float lr,
                          float beta1, float beta2, float eps, float decay, float gradScale, float c1, float c2) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    float g = grad[gradOff + i] * gradScale;
    float mi = beta1 * m[mOff + i] + (1.0f - beta1) * g;
    float vi = beta2 * v[vOff + i] + (1.0f - beta2) * (g * g);
    m[mOff + i] = mi;
    v[vOff + i] = vi;
    param[paramOff + i] = param[paramOff + i] * decay - (mi * c1) / (sqrt(vi * c2) + eps) * lr;
}
