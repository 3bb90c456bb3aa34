// Tiled sgemm for every product of the model: c (M,N) (+)= op(a) (M,K) @ op(b) (K,N), row-major
// with leading dimensions lda, ldb, ldc; op(a) = a^T when transA (a is (K,M)), op(b) = b^T when
// transB (b is (N,K)). Built with -DTILE (output tile edge, 64 or 32), -DTHREADS (work items per
// tile edge, TILE/4) and -DDEPTH (the K step). Each work item keeps a 4x4 block of outputs in
// registers; both operand tiles go through local memory once per K step.
//
// A third NDRange dimension runs a batch of products (attention's heads): product z reads its
// operands at offset (z / inner) * outer + (z % inner) * innerStride, separately for a, b and c.

#define PER_ITEM (TILE / THREADS)

__kernel __attribute__((reqd_work_group_size(THREADS, THREADS, 1)))
void matmul(__global float *c, int cOff, int ldc,
            __global const float *a, int aOff, int lda, int transA,
            __global const float *b, int bOff, int ldb, int transB,
            int m, int n, int k, int accumulate,
            int inner, int aOuter, int aInner, int bOuter, int bInner, int cOuter, int cInner) {
    __local float aTile[DEPTH][TILE + 1];   // (DEPTH, TILE): op(a) rows along the second index
    __local float bTile[DEPTH][TILE + 1];   // (DEPTH, TILE): op(b) columns along the second index
    int z = get_global_id(2);
    a += aOff + (z / inner) * aOuter + (z % inner) * aInner;
    b += bOff + (z / inner) * bOuter + (z % inner) * bInner;
    c += cOff + (z / inner) * cOuter + (z % inner) * cInner;
    int tx = get_local_id(0);
    int ty = get_local_id(1);
    int tid = ty * THREADS + tx;
    int row0 = get_group_id(1) * TILE;
    int col0 = get_group_id(0) * TILE;
    float acc[PER_ITEM][PER_ITEM];
    for (int i = 0; i < PER_ITEM; i++) {
        for (int j = 0; j < PER_ITEM; j++) {
            acc[i][j] = 0.0f;
        }
    }
    for (int k0 = 0; k0 < k; k0 += DEPTH) {
        for (int e = tid; e < DEPTH * TILE; e += THREADS * THREADS) {
            int kk;
            int mm;
            if (transA) {
                mm = e % TILE;
                kk = e / TILE;
            } else {
                kk = e % DEPTH;
                mm = e / DEPTH;
            }
            int gm = row0 + mm;
            int gk = k0 + kk;
            float v = 0.0f;
            if (gm < m && gk < k) {
                v = transA ? a[gk * lda + gm] : a[gm * lda + gk];
            }
            aTile[kk][mm] = v;
            int nn;
            if (transB) {
                kk = e % DEPTH;
                nn = e / DEPTH;
            } else {
                nn = e % TILE;
                kk = e / TILE;
            }
            int gn = col0 + nn;
            gk = k0 + kk;
            v = 0.0f;
            if (gn < n && gk < k) {
                v = transB ? b[gn * ldb + gk] : b[gk * ldb + gn];
            }
            bTile[kk][nn] = v;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int kk = 0; kk < DEPTH; kk++) {
            float av[PER_ITEM];
            float bv[PER_ITEM];
            for (int i = 0; i < PER_ITEM; i++) {
                av[i] = aTile[kk][ty + i * THREADS];
                bv[i] = bTile[kk][tx + i * THREADS];
            }
            for (int i = 0; i < PER_ITEM; i++) {
                for (int j = 0; j < PER_ITEM; j++) {
                    acc[i][j] = fma(av[i], bv[j], acc[i][j]);
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int i = 0; i < PER_ITEM; i++) {
        int gm = row0 + ty + i * THREADS;
        if (gm >= m) {
            continue;
        }
        for (int j = 0; j < PER_ITEM; j++) {
            int gn = col0 + tx + j * THREADS;
            if (gn < n) {
                float prior = accumulate ? c[gm * ldc + gn] : 0.0f;
                c[gm * ldc + gn] = prior + acc[i][j];
            }
        }
    }
}
