// Heavy-ball SGD, one work item per element: the twin of SgdKernel's CPU body.
__kernel void sgdUpdate(__global float *param, int paramOff, __global const float *grad, int gradOff,
                        __global float *buf, int bufOff, int n, float lr, float momentum, float nesterov,
                        float decay, float gradScale) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    float g = grad[gradOff + i] * gradScale;
    float b = fma(buf[bufOff + i], momentum, g);
    buf[bufOff + i] = b;
    float step = nesterov != 0.0f ? fma(b, momentum, g) : b;
    param[paramOff + i] = param[paramOff + i] * decay - step * lr;
}
