package org.cassandraessync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The README, CONTRIBUTING.md and the pages under docs/ link to each other and to files of the
 * project: every relative link must reach an existing file, and every {@code #anchor} a heading of
 * the Markdown file it names, with GitHub's slug rules. Fenced code blocks are not Markdown and are
 * skipped.
 */
class DocumentationLinksTest {

    private static final Path README = Path.of("README.md");
    private static final Path CONTRIBUTING = Path.of("CONTRIBUTING.md");
    private static final Path DOCS = Path.of("docs");

    /** An inline link or image, {@code [text](target)} or {@code [text](target "title")}. */
    private static final Pattern INLINE_LINK = Pattern.compile("\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** A reference definition, {@code [label]: target}. */
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?");
    private static final Pattern CODE_SPAN = Pattern.compile("`+[^`]*`+");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    /** What GitHub drops from a heading's text to make its anchor. */
    private static final Pattern NOT_IN_SLUG = Pattern.compile("[^\\p{L}\\p{M}\\p{N}_ -]");

    private final Map<Path, List<String>> anchorsByFile = new HashMap<>();

    @Test
    void every_relative_link_of_the_readme_and_the_docs_resolves() throws IOException {
        List<Path> pages = pages();
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            List<String> lines = Files.readAllLines(page);
            boolean fenced = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (isFence(line)) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced) {
                    continue;
                }
                for (String target : targets(line)) {
                    links++;
                    String problem = problem(page, target);
                    if (problem != null) {
                        broken.add(page + ":" + (i + 1) + ": (" + target + ") " + problem);
                    }
                }
            }
        }
        assertThat(links).as("links found").isGreaterThan(20);
        assertThat(broken).withFailMessage("%d broken links (file:line: (target) why):%n  %s", broken.size(),
                String.join(System.lineSeparator() + "  ", broken)).isEmpty();
    }

    @Test
    void the_readme_is_read_in_ten_minutes_under_500_lines() throws IOException {
        assertThat(Files.readAllLines(README).size()).as("lines of README.md").isLessThan(500);
    }

    @Test
    void headings_become_anchors_as_on_github() {
        List<String> slugs = slugs(List.of(
                "The two commands",
                "`verify`: do the stores hold the same data?",
                "Pairs: many tables and indexes in one daemon",
                "Where the routes call the drivers instead of Camel's components, and why",
                "The 1,000,000-record run of c249a70 (2026-12-04 morning, no profile)",
                "Cassandra → Elasticsearch, page_size",
                "Ünïcødé names",
                "Settings",
                "Settings",
                "Settings"));
        assertThat(slugs).containsExactly(
                "the-two-commands",
                "verify-do-the-stores-hold-the-same-data",
                "pairs-many-tables-and-indexes-in-one-daemon",
                "where-the-routes-call-the-drivers-instead-of-camels-components-and-why",
                "the-1000000-record-run-of-c249a70-2026-12-04-morning-no-profile",
                "cassandra--elasticsearch-page_size",
                "ünïcødé-names",
                "settings",
                "settings-1",
                "settings-2");
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(README, CONTRIBUTING));
        try (Stream<Path> docs = Files.walk(DOCS)) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    private static boolean isFence(String line) {
        String trimmed = line.stripLeading();
        return trimmed.startsWith("```") || trimmed.startsWith("~~~");
    }

    private static List<String> targets(String line) {
        List<String> targets = new ArrayList<>();
        Matcher definition = REFERENCE_DEFINITION.matcher(line);
        if (definition.find()) {
            targets.add(definition.group(1));
        }
        // a link inside a code span is text, not a link; a code span inside a link's text is fine
        Matcher link = INLINE_LINK.matcher(CODE_SPAN.matcher(line).replaceAll("code"));
        while (link.find()) {
            targets.add(link.group(1));
        }
        return targets;
    }

    /** Why the link does not resolve, or null when it does. */
    private String problem(Path page, String target) throws IOException {
        if (SCHEME.matcher(target).find()) {
            return null; // http:, https:, mailto:: not checked here
        }
        int hash = target.indexOf('#');
        String file = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : URLDecoder.decode(target.substring(hash + 1), StandardCharsets.UTF_8);
        Path folder = page.toAbsolutePath().getParent();
        Path resolved = file.isEmpty() ? page.toAbsolutePath() : folder.resolve(file).normalize();
        if (!Files.exists(resolved)) {
            return "no such file: " + Path.of("").toAbsolutePath().relativize(resolved);
        }
        if (anchor == null || !resolved.toString().endsWith(".md")) {
            return null;
        }
        if (anchor.isEmpty()) {
            return "empty anchor";
        }
        List<String> anchors = anchors(resolved);
        if (!anchors.contains(anchor)) {
            return "no heading with anchor #" + anchor + " in " + Path.of("").toAbsolutePath().relativize(resolved);
        }
        return null;
    }

    private List<String> anchors(Path markdown) throws IOException {
        List<String> anchors = anchorsByFile.get(markdown);
        if (anchors == null) {
            List<String> headings = new ArrayList<>();
            boolean fenced = false;
            for (String line : Files.readAllLines(markdown)) {
                if (isFence(line)) {
                    fenced = !fenced;
                } else if (!fenced) {
                    Matcher heading = HEADING.matcher(line);
                    if (heading.matches()) {
                        headings.add(heading.group(1));
                    }
                }
            }
            anchors = slugs(headings);
            anchorsByFile.put(markdown, anchors);
        }
        return anchors;
    }

    /** GitHub's anchors for the headings of one page, in order: repeated ones get -1, -2, … */
    static List<String> slugs(List<String> headings) {
        List<String> slugs = new ArrayList<>();
        Set<String> taken = new LinkedHashSet<>();
        for (String heading : headings) {
            String slug = slug(heading);
            String unique = slug;
            for (int n = 1; taken.contains(unique); n++) {
                unique = slug + "-" + n;
            }
            taken.add(unique);
            slugs.add(unique);
        }
        return slugs;
    }

    /** The anchor GitHub gives a heading: its text, lower case, without punctuation, spaces as hyphens. */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1"); // a link in a heading: its text
        return NOT_IN_SLUG.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("").replace(' ', '-');
    }
}
