// The optimizer updates with reductions (Adalayer's block means, Adafactor's row and column means,
// run as separate launches before the update, each in a fixed order) and Muon's Nesterov
// momentum, one work item per element; each reads the gradient and the state once and writes the
// state and the parameter once. The bias corrections c1 = 1/(1-beta1^step) and
// c2 = 1/(1-beta2^step) arrive computed on the host in double precision, where the CPU twins
// take the step. The element-wise rules' kernels are beside their CPU bodies (ElementwiseKernel).
//
// Shapes: param, grad and per-element state (n); block state (n / blockSize); Adafactor's row
// state (rows) and column state (cols).

__kernel void nesterovMomentum(__global float *update, int updateOff, __global const float *grad, int gradOff,
                               __global float *buf, int bufOff, int n, float mu, float gradScale) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    float g = grad[gradOff + i] * gradScale;
    float b = fma(buf[bufOff + i], mu, g);
    buf[bufOff + i] = b;
    update[updateOff + i] = fma(b, mu, g);
}

// Block Adam, stage 1: work-group (block, piece) adds the squared gradients of its piece of the
// block into partials[block * pieces + piece].
__kernel void blockSumOfSquares(__global wide *partials, __global const float *grad, int gradOff, int blockSize,
                                int pieceSize, int pieces) {
    __local wide scratch[GROUP];
    int task = get_group_id(0);
    int from = (task / pieces) * blockSize + (task % pieces) * pieceSize;
    int to = min((task / pieces) * blockSize + blockSize, from + pieceSize);
    wide s = groupSumOfSquares(grad + gradOff, from, to, scratch);
    if (get_local_id(0) == 0) {
        partials[task] = s;
    }
}

// Block Adam, stage 2: vBlocks[j] = b2*vBlocks[j] + (1-b2)*mean(g^2 over block j).
__kernel void blockSecondMoment(__global float *vBlocks, int vOff, __global const wide *partials, int blocks,
                                int pieces, int blockSize, float beta2, float gradScale) {
    int blk = get_global_id(0);
    if (blk >= blocks) {
        return;
    }
    wide s = 0;
    for (int p = 0; p < pieces; p++) {
        s += partials[blk * pieces + p];
    }
    float gMean = (float) (s / blockSize) * gradScale * gradScale;
    vBlocks[vOff + blk] = beta2 * vBlocks[vOff + blk] + (1.0f - beta2) * gMean;
}

// Block Adam, stage 3: AdamW's element update with its block's second moment.
__kernel void blockAdamUpdate(__global float *param, int paramOff, __global const float *grad, int gradOff,
                              __global float *m, int mOff, __global const float *vBlocks, int vOff, int n,
                              int blockSize, float lr, float beta1, float eps, float decay, float gradScale,
                              float c1, float c2) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    float denom = sqrt(vBlocks[vOff + i / blockSize] * c2) + eps;
    float g = grad[gradOff + i] * gradScale;
    float mi = beta1 * m[mOff + i] + (1.0f - beta1) * g;
    m[mOff + i] = mi;
    param[paramOff + i] = param[paramOff + i] * decay - mi * (lr * c1 / denom);
}

// Adafactor, row statistics: one work-group per row, rowV = b2*rowV + (1-b2)*mean(g^2 over the row).
__kernel void adafactorRows(__global float *rowV, int rowOff, __global const float *grad, int gradOff, int rows,
                            int cols, float beta2, float gradScale) {
    __local wide scratch[GROUP];
    int row = get_group_id(0);
    wide s = groupSumOfSquares(grad + gradOff + (long) row * cols, 0, cols, scratch);
    if (get_local_id(0) == 0) {
        rowV[rowOff + row] = beta2 * rowV[rowOff + row]
                + (1.0f - beta2) * (float) (s / cols) * (gradScale * gradScale);
    }
}

// Adafactor, column statistics: one work item per column, a loop over rows.
__kernel void adafactorColumns(__global float *colV, int colOff, __global const float *grad, int gradOff, int rows,
                               int cols, float beta2, float gradScale) {
    int j = get_global_id(0);
    if (j >= cols) {
        return;
    }
    wide s = 0;
    for (int row = 0; row < rows; row++) {
        float g = grad[gradOff + row * cols + j];
        s += (wide) (g * g);
    }
    colV[colOff + j] = beta2 * colV[colOff + j] + (1.0f - beta2) * (float) (s / rows) * (gradScale * gradScale);
}

// Adafactor, the mean of the row statistics: one work-group writes rowMean[0].
__kernel void adafactorRowMean(__global float *rowMean, __global const float *rowV, int rowOff, int rows) {
    __local wide scratch[GROUP];
    wide s = 0;
    for (int i = get_local_id(0); i < rows; i += GROUP) {
        s += rowV[rowOff + i];
    }
    s = groupSumWide(s, scratch);
    if (get_local_id(0) == 0) {
        rowMean[0] = (float) (s / rows);
    }
}

// Adafactor, the update: v = colV[j] * rowV[i] / mean(rowV) * c2; with hasM the bias-corrected
// EMA of g is the numerator, otherwise g itself.
__kernel void adafactorUpdate(__global float *param, int paramOff, __global const float *grad, int gradOff,
                              __global float *m, int mOff, int hasM, __global const float *rowV, int rowOff,
                              __global const float *colV, int colOff, __global const float *rowMean, int rows,
                              int cols, float lr, float beta1, float eps, float decay, float gradScale,
                              float c1, float c2) {
    int gid = get_global_id(0);
    if (gid >= rows * cols) {
        return;
    }
    int row = gid / cols;
    int j = gid % cols;
    float rMean = rowMean[0];
    float rowScale = rMean > 0.0f ? rowV[rowOff + row] / rMean * c2 : 0.0f;
    float g = grad[gradOff + gid] * gradScale;
    float mi = g;
    if (hasM) {
        mi = beta1 * m[mOff + gid] + (1.0f - beta1) * g;
        m[mOff + gid] = mi;
        mi *= c1;
    }
    float v = colV[colOff + j] * rowScale;
    param[paramOff + gid] = param[paramOff + gid] * decay - mi / (sqrt(v) + eps) * lr;
}
