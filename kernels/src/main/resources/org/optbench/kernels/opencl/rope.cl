// Rotary position embedding, rotate-half convention: one work item per (row, head, pair). sign 1
// rotates forward, -1 applies the transposed rotation (the backward pass). out may alias inp: each
// item reads its pair before writing it.
//
// Shapes: inp, out (B,T,C); cos, sin (T, hs/2).

__kernel void ropeRotate(__global float *out, int outOff, __global const float *inp, int inpOff,
                         __global const float *cosTable, int cosOff, __global const float *sinTable, int sinOff,
                         int b, int t, int c, int h, float sign) {
    int pairs = c / h / 2;
    int gid = get_global_id(0);
    if (gid >= b * t * h * pairs) {
        return;
    }
    int i = gid % pairs;
    int head = (gid / pairs) % h;
    int row = gid / (pairs * h);
    int tab = (row % t) * pairs + i;
    int at = row * c + head * 2 * pairs + i;
    float x1 = inp[inpOff + at];
    float x2 = inp[inpOff + at + pairs];
    float cv = cosTable[cosOff + tab];
    float sv = sign * sinTable[sinOff + tab];
    out[outOff + at] = x1 * cv - x2 * sv;
    out[outOff + at + pairs] = x2 * cv + x1 * sv;
}
