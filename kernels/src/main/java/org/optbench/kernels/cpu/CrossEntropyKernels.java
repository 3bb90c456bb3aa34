package org.optbench.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.optbench.kernels.TensorChecks;

/**
 * Softmax cross-entropy with the z-loss term, fused per row of logits. Forward caches the
 * log-sum-exp of each row; backward rebuilds the softmax from it and may overwrite the logits in
 * place with their gradient. Parallel over rows.
 *
 * <p>Shapes: logits, dlogits (N,V); targets, ce, lse (N).
 */
final class CrossEntropyKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final WorkerPool pool;

    CrossEntropyKernels(WorkerPool pool) {
        this.pool = pool;
    }

    void forward(CpuFloatTensor ce, CpuFloatTensor lse, CpuFloatTensor logits, CpuIntTensor targets, int n, int v) {
        float[] x = logits.array;
        int bound = S.loopBound(v);
        pool.forRange(n, 4, (from, to) -> {
            for (int row = from; row < to; row++) {
                int target = targets.array[targets.offset() + row];
                if (target < 0 || target >= v) {
                    throw TensorChecks.targetOutsideVocabulary(target, row, v);
                }
                int base = logits.offset() + row * v;
                FloatVector maxV = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                int i = 0;
                for (; i < bound; i += L) {
                    maxV = maxV.max(FloatVector.fromArray(S, x, base + i));
                }
                float max = maxV.reduceLanes(VectorOperators.MAX);
                for (; i < v; i++) {
                    max = Math.max(max, x[base + i]);
                }
                FloatVector mv = FloatVector.broadcast(S, max);
                FloatVector sumV = FloatVector.zero(S);
                i = 0;
                for (; i < bound; i += L) {
                    sumV = sumV.add(VectorMath.exp(FloatVector.fromArray(S, x, base + i).sub(mv)));
                }
                double sum = sumV.reduceLanes(VectorOperators.ADD);
                for (; i < v; i++) {
                    sum += VectorMath.exp(x[base + i] - max);
                }
                float l = (float) (max + Math.log(sum));
                lse.array[lse.offset() + row] = l;
                ce.array[ce.offset() + row] = l - x[base + target];
            }
        });
    }

    void backward(CpuFloatTensor dlogits, CpuFloatTensor logits, CpuFloatTensor lse, CpuIntTensor targets,
                  float scale, float zCoef, int n, int v) {
        float[] x = logits.array;
        float[] d = dlogits.array;
        int bound = S.loopBound(v);
        pool.forRange(n, 4, (from, to) -> {
            for (int row = from; row < to; row++) {
                float l = lse.array[lse.offset() + row];
                float factor = scale * (1f + 2f * zCoef * l);
                FloatVector lv = FloatVector.broadcast(S, l);
                int base = logits.offset() + row * v;
                int dbase = dlogits.offset() + row * v;
                int i = 0;
                for (; i < bound; i += L) {
                    VectorMath.exp(FloatVector.fromArray(S, x, base + i).sub(lv)).mul(factor)
                            .intoArray(d, dbase + i);
                }
                for (; i < v; i++) {
                    d[dbase + i] = VectorMath.exp(x[base + i] - l) * factor;
                }
                d[dbase + targets.array[targets.offset() + row]] -= scale;
            }
        });
    }
}
