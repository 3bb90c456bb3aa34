// The sgemm for CPU devices (PoCL): no local memory, the caches do the tiling. Each work item
// computes VROWS rows x 16 columns of c in float16 accumulators, streaming op(a)'s values as
// broadcasts and b's rows as float16 loads, so the inner loop is VROWS vector FMAs per load.
// b must be (K,N) row-major here; the host transposes a transposed b first (transposeBatch).
// Arguments and batching as for matmul; rows past m read row m-1 and are never stored.

#define VROWS 8

__kernel void matmulVector(__global float *c, int cOff, int ldc,
                           __global const float *a, int aOff, int lda, int transA,
                           __global const float *b, int bOff, int ldb,
                           int m, int n, int k, int accumulate,
                           int inner, int aOuter, int aInner, int bOuter, int bInner, int cOuter, int cInner) {
    int j0 = get_global_id(0) * 16;
    int i0 = get_global_id(1) * VROWS;
    int z = get_global_id(2);
    if (j0 >= n || i0 >= m) {
        return;
    }
    a += aOff + (z / inner) * aOuter + (z % inner) * aInner;
    b += bOff + (z / inner) * bOuter + (z % inner) * bInner;
    c += cOff + (z / inner) * cOuter + (z % inner) * cInner;
    int rowStride = transA ? 1 : lda;   // a(i, kk) = a[i * rowStride + kk * kStride]
    int kStride = transA ? lda : 1;
    int rowAt[VROWS];
    for (int r = 0; r < VROWS; r++) {
        rowAt[r] = min(i0 + r, m - 1) * rowStride;
    }
    float16 acc[VROWS];
    for (int r = 0; r < VROWS; r++) {
        acc[r] = (float16) (0.0f);
    }
    int cols = min(16, n - j0);
    if (cols == 16) {
        for (int kk = 0; kk < k; kk++) {
            float16 bv = vload16(0, b + kk * ldb + j0);
            __global const float *ak = a + kk * kStride;
            for (int r = 0; r < VROWS; r++) {
                acc[r] = fma((float16) (ak[rowAt[r]]), bv, acc[r]);
            }
        }
    } else {
        float row[16];
        for (int kk = 0; kk < k; kk++) {
            for (int e = 0; e < 16; e++) {
                row[e] = e < cols ? b[kk * ldb + j0 + e] : 0.0f;
            }
            float16 bv = vload16(0, row);
            __global const float *ak = a + kk * kStride;
            for (int r = 0; r < VROWS; r++) {
                acc[r] = fma((float16) (ak[rowAt[r]]), bv, acc[r]);
            }
        }
    }
    int rows = min(VROWS, m - i0);
    for (int r = 0; r < rows; r++) {
        __global float *out = c + (i0 + r) * ldc + j0;
        if (cols == 16) {
            float16 prior = accumulate ? vload16(0, out) : (float16) (0.0f);
            vstore16(prior + acc[r], 0, out);
        } else {
            float values[16];
            vstore16(acc[r], 0, values);
            for (int e = 0; e < cols; e++) {
                out[e] = (accumulate ? out[e] : 0.0f) + values[e];
            }
        }
    }
}

// out (batch, K, N) = the transpose of each product's b (N,K) at leading dimension ldb, batched
// as for matmul: matmulVector's b operand when the product asks for b^T.
__kernel void transposeBatch(__global float *out, __global const float *b, int bOff, int ldb, int k, int n,
                             int inner, int bOuter, int bInner) {
    int kk = get_global_id(0);
    int nn = get_global_id(1);
    int z = get_global_id(2);
    if (kk >= k || nn >= n) {
        return;
    }
    out[(long) z * k * n + kk * n + nn] = b[bOff + (z / inner) * bOuter + (z % inner) * bInner + nn * ldb + kk];
}
