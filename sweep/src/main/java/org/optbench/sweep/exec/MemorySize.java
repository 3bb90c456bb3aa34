package org.optbench.sweep.exec;

import java.util.Locale;

/**
 * Memory sizes as people write them for Slurm's {@code --mem} and the JVM's {@code -Xmx}: a whole
 * number with an optional K, M, G or T suffix (either case).
 */
public final class MemorySize {

    private MemorySize() {
    }

    /** Bytes of {@code text}, a bare number counting {@code bareUnit} bytes; -1 when it is not a size. */
    public static long bytes(String text, long bareUnit) {
        String s = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        if (s.isEmpty()) {
            return -1;
        }
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            case 'T' -> 1L << 40;
            default -> bareUnit;
        };
        String digits = Character.isLetter(s.charAt(s.length() - 1)) ? s.substring(0, s.length() - 1) : s;
        try {
            long n = Long.parseLong(digits);
            return n > 0 ? Math.multiplyExact(n, unit) : -1;
        } catch (NumberFormatException | ArithmeticException e) {
            return -1;
        }
    }
}
