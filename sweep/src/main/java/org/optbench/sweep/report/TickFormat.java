package org.optbench.sweep.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;

/**
 * Tick labels as people write numbers on a log axis: plain decimals from 0.001 to 10,000
 * ({@code 0.001}, {@code 0.0316}, {@code 1}, {@code 10}), lower-case scientific notation outside
 * it ({@code 1e-5}, {@code 3.16e-4}), three significant digits at most, rather than Java's
 * {@code 1E-3}.
 */
final class TickFormat extends NumberFormat {

    private static final MathContext DIGITS = new MathContext(3);

    static String text(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : Double.toString(v);
        }
        BigDecimal d = new BigDecimal(v).round(DIGITS).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e4) {
            return d.toPlainString();
        }
        int exponent = d.precision() - d.scale() - 1;
        BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }

    @Override
    public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
        return to.append(text(number));
    }

    @Override
    public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
        return to.append(text(number));
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
        throw new UnsupportedOperationException("tick labels are only written");
    }
}
