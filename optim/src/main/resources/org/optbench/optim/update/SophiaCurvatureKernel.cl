// Sophia's curvature estimate folded into h, one work item per element: the twin of
// SophiaCurvatureKernel's CPU body. m and the parameter are not touched.
__kernel void sophiaCurvature(__global float *param, int paramOff, __global const float *grad, int gradOff,
                              __global float *m, int mOff, __global float *h, int hOff, int n, float beta2,
                              float tokens) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    float g = grad[gradOff + i];
    h[hOff + i] = beta2 * h[hOff + i] + (1.0f - beta2) * ((tokens * g) * g);
}
