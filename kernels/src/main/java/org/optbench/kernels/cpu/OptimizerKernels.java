package org.optbench.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.optbench.kernels.BiasCorrection;
import org.optbench.kernels.ElementwiseKernel;
import org.optbench.kernels.MomentumStep;

/**
 * The CPU backend's optimizer updates: any element-wise rule's body ({@link ElementwiseKernel}) over
 * fixed chunks, and the rules with reductions (Adalayer's block means, Adafactor's row and column
 * means), whose sums are added in a fixed order so results do not depend on the thread count. Each
 * reads the gradient and the state once and writes the state and the parameter once.
 * Shapes: param, grad and per-element state (n); block state (n / blockSize); Adafactor's row
 * state (rows) and column state (cols).
 */
final class OptimizerKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int CHUNK = 1 << 15;

    private final WorkerPool pool;
    private double[] partials = new double[0];
    private double[] columnSums = new double[0];

    OptimizerKernels(WorkerPool pool) {
        this.pool = pool;
    }

    /** One element-wise rule over n elements, in tasks of fixed ranges. */
    void elementwise(ElementwiseKernel kernel, ElementwiseKernel.Slices slices, float[] scalars, int n) {
        pool.forRange(n, CHUNK, (from, to) -> kernel.cpu(slices, scalars, from, to));
    }

    void blockAdam(CpuFloatTensor param, CpuFloatTensor grad, CpuFloatTensor m, CpuFloatTensor vBlocks, int n,
                   int blockSize, float lr, float beta1, float beta2, float eps, float decay, float gradScale,
                   float c1, float c2) {
        int blocks = n / blockSize;
        float[] vb = vBlocks.array;
        int vOff = vBlocks.offset();
        if (blockSize <= CHUNK) {
            int perTask = Math.max(1, CHUNK / blockSize);
            pool.forRange(blocks, perTask, (from, to) -> {
                for (int blk = from; blk < to; blk++) {
                    int start = blk * blockSize;
                    double sum = sumOfSquares(grad.array, grad.offset() + start, blockSize);
                    float gMean = (float) (sum / blockSize) * gradScale * gradScale;
                    float vj = beta2 * vb[vOff + blk] + (1f - beta2) * gMean;
                    vb[vOff + blk] = vj;
                    scalarVUpdate(param, grad, m, start, start + blockSize, vj, lr, beta1, eps, decay, gradScale,
                            c1, c2);
                }
            });
            return;
        }
        int pieces = (blockSize + CHUNK - 1) / CHUNK;
        int tasks = blocks * pieces;
        if (partials.length < tasks) {
            partials = new double[tasks];
        }
        double[] part = partials;
        pool.forRange(tasks, 1, (from, to) -> {
            for (int task = from; task < to; task++) {
                int start = (task / pieces) * blockSize + (task % pieces) * CHUNK;
                int end = Math.min((task / pieces) * blockSize + blockSize, start + CHUNK);
                part[task] = sumOfSquares(grad.array, grad.offset() + start, end - start);
            }
        });
        for (int blk = 0; blk < blocks; blk++) {
            double sum = 0;
            for (int piece = 0; piece < pieces; piece++) {
                sum += part[blk * pieces + piece];
            }
            float gMean = (float) (sum / blockSize) * gradScale * gradScale;
            vb[vOff + blk] = beta2 * vb[vOff + blk] + (1f - beta2) * gMean;
        }
        pool.forRange(tasks, 1, (from, to) -> {
            for (int task = from; task < to; task++) {
                int blk = task / pieces;
                int start = blk * blockSize + (task % pieces) * CHUNK;
                int end = Math.min(blk * blockSize + blockSize, start + CHUNK);
                scalarVUpdate(param, grad, m, start, end, vb[vOff + blk], lr, beta1, eps, decay, gradScale, c1, c2);
            }
        });
    }

    private static double sumOfSquares(float[] x, int from, int count) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i + L <= count; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, from + i);
            acc = v.fma(v, acc);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) {
            sum += (double) x[from + i] * x[from + i];
        }
        return sum;
    }

    /**
     * AdamW's element update on [from, to) with one second-moment value v for all elements and the
     * bias corrections c1 (first moment) and c2 (second moment).
     */
    private static void scalarVUpdate(CpuFloatTensor param, CpuFloatTensor grad, CpuFloatTensor m, int from, int to,
                                      float v, float lr, float beta1, float eps, float decay, float gradScale,
                                      float c1, float c2) {
        float denom = (float) Math.sqrt(v * c2) + eps;
        MomentumStep.run(param.array, param.offset(), grad.array, grad.offset(), m.array, m.offset(), from, to, beta1, decay,
                gradScale, lr * c1 / denom);
    }

    void adafactor(CpuFloatTensor param, CpuFloatTensor grad, CpuFloatTensor m, CpuFloatTensor rowV,
                   CpuFloatTensor colV, int rows, int cols, float lr, float beta1, float beta2, float eps,
                   float decay, float gradScale, int step) {
        float[] g = grad.array;
        float[] r = rowV.array;
        float[] c = colV.array;
        float g2 = gradScale * gradScale;
        pool.forRange(rows, Math.max(1, CHUNK / cols), (from, to) -> {
            for (int row = from; row < to; row++) {
                double sum = sumOfSquares(g, grad.offset() + row * cols, cols);
                r[rowV.offset() + row] = beta2 * r[rowV.offset() + row] + (1f - beta2) * (float) (sum / cols) * g2;
            }
        });
        if (columnSums.length < cols) {
            columnSums = new double[cols];
        }
        double[] colSum = columnSums;
        int colBlock = 4 * L;
        pool.forRange((cols + colBlock - 1) / colBlock, 1, (from, to) -> {
            for (int blk = from; blk < to; blk++) {
                int c0 = blk * colBlock;
                int c1 = Math.min(cols, c0 + colBlock);
                java.util.Arrays.fill(colSum, c0, c1, 0.0);
                columnSumsOfSquares(g, grad.offset(), cols, rows, c0, c1, colSum);
                for (int j = c0; j < c1; j++) {
                    c[colV.offset() + j] = beta2 * c[colV.offset() + j] + (1f - beta2) * (float) (colSum[j] / rows) * g2;
                }
            }
        });
        double rSum = 0;
        for (int row = 0; row < rows; row++) {
            rSum += r[rowV.offset() + row];
        }
        float rMean = (float) (rSum / rows);
        float c1 = BiasCorrection.factor(beta1, step);
        float c2 = BiasCorrection.factor(beta2, step);
        float[] p = param.array;
        float a1 = 1f - beta1;
        pool.forRange(rows, Math.max(1, CHUNK / cols), (from, to) -> {
            for (int row = from; row < to; row++) {
                float rowScale = rMean > 0 ? r[rowV.offset() + row] / rMean * c2 : 0f;
                int base = row * cols;
                int j = 0;
                FloatVector rs = FloatVector.broadcast(S, rowScale);
                for (; j + L <= cols; j += L) {
                    FloatVector gv = FloatVector.fromArray(S, g, grad.offset() + base + j).mul(gradScale);
                    FloatVector mv = gv;
                    if (m != null) {
                        mv = FloatVector.fromArray(S, m.array, m.offset() + base + j).mul(beta1).add(gv.mul(a1));
                        mv.intoArray(m.array, m.offset() + base + j);
                        mv = mv.mul(c1);
                    }
                    FloatVector v = FloatVector.fromArray(S, c, colV.offset() + j).mul(rs);
                    FloatVector denom = v.lanewise(VectorOperators.SQRT).add(eps);
                    FloatVector.fromArray(S, p, param.offset() + base + j).mul(decay).sub(mv.div(denom).mul(lr))
                            .intoArray(p, param.offset() + base + j);
                }
                for (; j < cols; j++) {
                    float gi = g[grad.offset() + base + j] * gradScale;
                    float mi = gi;
                    if (m != null) {
                        mi = beta1 * m.array[m.offset() + base + j] + a1 * gi;
                        m.array[m.offset() + base + j] = mi;
                        mi *= c1;
                    }
                    float v = c[colV.offset() + j] * rowScale;
                    p[param.offset() + base + j] = p[param.offset() + base + j] * decay
                            - mi / ((float) Math.sqrt(v) + eps) * lr;
                }
            }
        });
    }

    /**
     * sums[j] += sum over rows of x[row*cols + j]^2 for j in [c0, c1): float vector accumulators
     * over runs of 256 rows, each run added into the double sums.
     */
    private static void columnSumsOfSquares(float[] x, int offset, int cols, int rows, int c0, int c1, double[] sums) {
        float[] run = new float[c1 - c0];
        for (int r0 = 0; r0 < rows; r0 += 256) {
            int r1 = Math.min(rows, r0 + 256);
            java.util.Arrays.fill(run, 0f);
            for (int row = r0; row < r1; row++) {
                int base = offset + row * cols + c0;
                int j = 0;
                for (; j + L <= run.length; j += L) {
                    FloatVector v = FloatVector.fromArray(S, x, base + j);
                    v.fma(v, FloatVector.fromArray(S, run, j)).intoArray(run, j);
                }
                for (; j < run.length; j++) {
                    run[j] += x[base + j] * x[base + j];
                }
            }
            for (int j = 0; j < run.length; j++) {
                sums[c0 + j] += run[j];
            }
        }
    }

    void nesterov(CpuFloatTensor update, CpuFloatTensor grad, CpuFloatTensor buf, int n, float mu, float gradScale) {
        float[] u = update.array;
        float[] g = grad.array;
        float[] b = buf.array;
        pool.forRange(n, CHUNK, (from, to) -> {
            int i = from;
            for (; i + L <= to; i += L) {
                FloatVector gv = FloatVector.fromArray(S, g, grad.offset() + i).mul(gradScale);
                FloatVector bv = FloatVector.fromArray(S, b, buf.offset() + i).fma(FloatVector.broadcast(S, mu), gv);
                bv.intoArray(b, buf.offset() + i);
                bv.fma(FloatVector.broadcast(S, mu), gv).intoArray(u, update.offset() + i);
            }
            for (; i < to; i++) {
                float gi = g[grad.offset() + i] * gradScale;
                float bi = Math.fma(b[buf.offset() + i], mu, gi);
                b[buf.offset() + i] = bi;
                u[update.offset() + i] = Math.fma(bi, mu, gi);
            }
        });
    }
}
