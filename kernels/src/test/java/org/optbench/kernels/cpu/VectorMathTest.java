package org.optbench.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorMathTest {

    @Test
    void expIsAccurateAndVectorAndScalarAgreeBitForBit() {
        int l = FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[l];
        float[] y = new float[l];
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            float v = -87f + 175f * i / 200_000f;
            x[i % l] = v;
            if (i % l == l - 1) {
                VectorMath.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0)).intoArray(y, 0);
                for (int j = 0; j < l; j++) {
                    assertEquals(Float.floatToIntBits(VectorMath.exp(x[j])), Float.floatToIntBits(y[j]), "x=" + x[j]);
                    double want = Math.exp(x[j]);
                    worst = Math.max(worst, Math.abs(y[j] - want) / want);
                }
            }
        }
        System.out.printf("exp max relative error %.2e%n", worst);
        assertTrue(worst < 5e-7, "relative error " + worst);
        assertEquals(1f, VectorMath.exp(0f));
        assertTrue(VectorMath.exp(-1000f) < 1e-37f);
    }
}
