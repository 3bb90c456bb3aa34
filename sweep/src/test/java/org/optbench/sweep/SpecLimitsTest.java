package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.optbench.sweep.error.SweepSpecException;

/**
 * What a spec's lists may cost before it is refused: a list of 200,000 seeds (a 1.3 MB spec) is
 * refused by its trial count in well under a second, every list of the spec checked in linear
 * time, and a spec of 5,000 claims is refused when it is parsed, before anything judges them.
 */
class SpecLimitsTest {

    private static final String BASE = "name: limits\nmodel: {preset: nano}\ndata: synthetic\nsteps: 5\n"
            + "parameters:\n  optimizer:\n    adamw: {lr: {values: [1.0e-3, 1.0e-2]}}\n";

    @Test
    void twoHundredThousandSeedsAreRefusedInUnderASecond() {
        StringBuilder seeds = new StringBuilder("seeds: [");
        for (int i = 0; i < 200_000; i++) {
            seeds.append(i == 0 ? "" : ", ").append(i);
        }
        String text = BASE + seeds.append("]\n");
        assertTrue(text.length() > 1_000_000, "a spec of " + text.length() + " characters");
        long start = System.nanoTime();
        SweepSpecException e = assertThrows(SweepSpecException.class, () -> SweepValidator.validate(
                SweepSpecParser.parse(text, "seeds.yaml"), 10_000, p -> null, SweepSpecTest.context()));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(e.getMessage().contains("400,000 trials"), e.getMessage());
        assertTrue(seconds < 1.0, "refused after " + seconds + " s");
    }

    @Test
    void fiveThousandClaimsAreRefusedWhenTheSpecIsParsed() {
        StringBuilder claims = new StringBuilder("claims:\n");
        for (int i = 0; i < 5_000; i++) {
            claims.append("  - {id: c").append(i).append(", type: equivalent, a: adamw, b: adamw, metric: best_loss, margin: 0.1}\n");
        }
        long start = System.nanoTime();
        SweepSpecException e = assertThrows(SweepSpecException.class,
                () -> SweepSpecParser.parse(BASE + claims, "claims.yaml"));
        assertTrue(e.getMessage().contains("5000 claims, more than the 200"), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1e9 < 1.0, "refused at once");
    }
}
