package org.optbench.sweep.report;

/** Text made safe inside the report's HTML: the five characters that could start markup or end an attribute. */
final class Html {

    private Html() {
    }

    /** {@code s} with &amp;, &lt;, &gt; and &quot; escaped; null as empty. */
    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
