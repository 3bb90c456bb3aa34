// The sgemm for CPU devices (PoCL): no local memory, the caches do the tiling. Each work item
// computes VROWS rows x 32 columns of c in two float16 accumulators per row, streaming op(a)'s
// values as broadcasts and b's rows as float16 loads: 2 x VROWS vector FMAs per 2 + VROWS loads.
// b must be (K,N) row-major here; the host transposes a transposed b first (transposeBatch).
// Arguments and batching as for matmul; rows past m read row m-1 and are never stored.

#define VROWS 8

__kernel void matmulVector(__global float *c, int cOff, int ldc,
                           __global const float *a, int aOff, int lda, int transA,
                           __global const float *b, int bOff, int ldb,
                           int m, int n, int k, int accumulate,
                           int inner, int aOuter, int aInner, int bOuter, int bInner, int cOuter, int cInner) {
    int j0 = get_global_id(0) * 32;
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
    float16 lo[VROWS];   // columns j0 .. j0+15
    float16 hi[VROWS];   // columns j0+16 .. j0+31
    for (int r = 0; r < VROWS; r++) {
        lo[r] = (float16) (0.0f);
        hi[r] = (float16) (0.0f);
    }
    int cols = min(32, n - j0);
    if (cols == 32) {
        for (int kk = 0; kk < k; kk++) {
            float16 b0 = vload16(0, b + kk * ldb + j0);
            float16 b1 = vload16(0, b + kk * ldb + j0 + 16);
            __global const float *ak = a + kk * kStride;
            for (int r = 0; r < VROWS; r++) {
                float16 av = (float16) (ak[rowAt[r]]);
                lo[r] = fma(av, b0, lo[r]);
                hi[r] = fma(av, b1, hi[r]);
            }
        }
    } else {
        float row[32];
        for (int kk = 0; kk < k; kk++) {
            for (int e = 0; e < 32; e++) {
                row[e] = e < cols ? b[kk * ldb + j0 + e] : 0.0f;
            }
            float16 b0 = vload16(0, row);
            float16 b1 = vload16(1, row);
            __global const float *ak = a + kk * kStride;
            for (int r = 0; r < VROWS; r++) {
                float16 av = (float16) (ak[rowAt[r]]);
                lo[r] = fma(av, b0, lo[r]);
                hi[r] = fma(av, b1, hi[r]);
            }
        }
    }
    int rows = min(VROWS, m - i0);
    for (int r = 0; r < rows; r++) {
        __global float *out = c + (i0 + r) * ldc + j0;
        if (cols == 32) {
            float16 prior0 = accumulate ? vload16(0, out) : (float16) (0.0f);
            float16 prior1 = accumulate ? vload16(1, out) : (float16) (0.0f);
            vstore16(prior0 + lo[r], 0, out);
            vstore16(prior1 + hi[r], 1, out);
        } else {
            float values[32];
            vstore16(lo[r], 0, values);
            vstore16(hi[r], 1, values);
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
