package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The front door stays a front door: README.md is at most 15,000 bytes with the two set-up commands
 * in its first ten lines, and every relative link in it and in the guides under docs/ names a file
 * that exists (and, with a #fragment, a heading of that file).
 */
class ReadmeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void theReadmeIsShortAndStartsWithTheTwoCommandsAndTheDashboard() throws Exception {
        Path readme = ROOT.resolve("README.md");
        assertTrue(Files.size(readme) <= 15_000, "README.md is " + Files.size(readme) + " bytes");
        List<String> first = Files.readAllLines(readme).subList(0, 10);
        assertTrue(first.stream().anyMatch(l -> l.startsWith("./optbench study examples/quick.yaml")), first.toString());
        assertTrue(first.stream().anyMatch(l -> l.startsWith("mvn -B verify")), first.toString());
        assertTrue(first.stream().anyMatch(l -> l.startsWith("./optbench dashboard")), "the first screen shows the dashboard "
                + "beside the two set-up commands: " + first);
    }

    @Test
    void everyRelativeLinkResolves() throws Exception {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (var docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http:") || target.startsWith("https:") || target.startsWith("mailto:")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(page) + ": " + target);
                } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
                }
            }
        }
        assertTrue(broken.isEmpty(), "broken links: " + broken);
    }

    /** GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces as dashes. */
    private static List<String> anchors(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        boolean fence = false;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("```")) {
                fence = !fence;
            }
            if (!fence && line.startsWith("#")) {
                String text = line.replaceFirst("^#+\\s*", "").toLowerCase(java.util.Locale.ROOT);
                out.add(text.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return out;
    }
}
