package org.cassandraessync.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What can be checked of the Karaf packaging without a Karaf runtime (none runs here: most of
 * camel-karaf's bundles are not on our Maven mirror): every feature our {@code features.xml}
 * names exists in camel-karaf's descriptor at the version we ask for, and every package the library
 * bundle imports comes from the JDK or from a bundle those features install, never from a jar that
 * only the standalone (shaded) jar carries.
 */
class KarafFeaturesTest {

    private static final Path OURS = Path.of("target", "karaf", "features.xml");
    private static final Path MANIFEST = Path.of("target", "classes", "META-INF", "MANIFEST.MF");
    private static final Pattern CAMEL_KARAF_REPO = Pattern.compile("mvn:org\\.apache\\.camel\\.karaf/apache-camel/([^/]+)/xml/features");
    /** Packages Karaf itself provides (pax-logging), outside any Camel feature. */
    private static final Set<String> KARAF_PROVIDES = Set.of("org.slf4j");

    @Test
    void every_feature_we_install_exists_in_camel_karaf_at_the_version_we_ask_for() throws Exception {
        Document ours = parse(OURS);
        String version = camelKarafVersion(ours);
        Map<String, List<Element>> camelKaraf = features(parse(camelKarafDescriptor(version)));
        Element sync = features(ours).get("cassandra-es-sync").get(0);
        List<Element> needed = children(sync, "feature");
        assertThat(needed).extracting(Element::getTextContent).contains("camel-yaml-dsl", "camel-cassandraql",
                "camel-quartz", "camel-jackson", "camel-elasticsearch", "camel-master");
        for (Element feature : needed) {
            List<Element> theirs = camelKaraf.getOrDefault(feature.getTextContent(), List.of());
            assertThat(theirs).as("feature " + feature.getTextContent() + " in camel-karaf " + version).isNotEmpty();
            assertThat(theirs).as(feature.getTextContent() + " at a version within " + feature.getAttribute("version"))
                    .anyMatch(t -> inRange(t.getAttribute("version"), feature.getAttribute("version")));
        }
        assertThat(children(sync, "bundle")).extracting(Element::getTextContent)
                .containsExactly("mvn:org.cassandraessync/cassandra-es-sync/0.1.0-SNAPSHOT");
    }

    @Test
    void the_bundle_imports_only_packages_the_jdk_or_the_installed_features_provide() throws Exception {
        Document ours = parse(OURS);
        Map<String, List<Element>> camelKaraf = features(parse(camelKarafDescriptor(camelKarafVersion(ours))));
        Set<String> installed = new HashSet<>();
        for (Element feature : children(features(ours).get("cassandra-es-sync").get(0), "feature")) {
            collectArtifacts(camelKaraf, feature.getTextContent(), installed, new HashSet<>());
        }
        Map<String, Set<String>> providers = packageProviders();
        Set<String> unprovided = new TreeSet<>();
        for (String imported : imports()) {
            if (jdk(imported) || imported.startsWith("org.cassandraessync")
                    || KARAF_PROVIDES.stream().anyMatch(imported::startsWith)) {
                continue;
            }
            Set<String> jars = providers.getOrDefault(imported, Set.of());
            boolean fromFeature = jars.stream().anyMatch(installed::contains);
            if (!fromFeature) {
                unprovided.add(imported + " (in " + jars + ")");
            }
        }
        assertThat(unprovided).as("imports no feature provides").isEmpty();
    }

    private static String camelKarafVersion(Document features) {
        NodeList repositories = features.getElementsByTagNameNS("*", "repository");
        for (int i = 0; i < repositories.getLength(); i++) {
            Matcher m = CAMEL_KARAF_REPO.matcher(repositories.item(i).getTextContent().trim());
            if (m.matches()) {
                return m.group(1);
            }
        }
        throw new AssertionError("features.xml names no camel-karaf repository");
    }

    private static Path camelKarafDescriptor(String version) {
        Path file = Path.of("target", "sandbox", "downloads", "apache-camel-" + version + "-features.xml");
        assertThat(file).as("camel-karaf's descriptor, fetched by the build (generate-test-resources)").exists();
        return file;
    }

    /** groupId:artifactId of every bundle a feature installs, with the features it includes. */
    private static void collectArtifacts(Map<String, List<Element>> all, String name, Set<String> into,
            Set<String> seen) {
        if (!seen.add(name)) {
            return;
        }
        // a name may have several versions (http-client 4 and 5): each one's bundles count
        for (Element feature : all.getOrDefault(name, List.of())) {
            collectArtifacts(all, feature, into, seen);
        }
    }

    private static void collectArtifacts(Map<String, List<Element>> all, Element feature, Set<String> into,
            Set<String> seen) {
        for (Element bundle : children(feature, "bundle")) {
            Matcher m = Pattern.compile("mvn:([^/]+)/([^/$]+)/").matcher(bundle.getTextContent());
            if (m.find()) {
                // camel-karaf repackages Camel's jars under its own group id
                String group = m.group(1).equals("org.apache.camel.karaf") ? "org.apache.camel" : m.group(1);
                // httpcore-osgi is httpcore as a bundle
                into.add(group + ":" + m.group(2).replaceFirst("-osgi$", ""));
            }
        }
        children(feature, "feature").forEach(f -> collectArtifacts(all, f.getTextContent(), into, seen));
    }

    /** For each package on the test class path: the groupId:artifactId of the jars holding it. */
    private static Map<String, Set<String>> packageProviders() throws IOException {
        Path repository = Path.of(System.getProperty("user.home"), ".m2", "repository");
        String local = System.getProperty("maven.repo.local");
        if (local != null) {
            repository = Path.of(local);
        }
        Map<String, Set<String>> providers = new HashMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (!entry.endsWith(".jar") || !jar.startsWith(repository)) {
                continue;
            }
            // .../<group path>/<artifactId>/<version>/<file>.jar
            Path relative = repository.relativize(jar);
            int n = relative.getNameCount();
            String artifact = relative.getName(n - 3).toString();
            String group = relative.subpath(0, n - 3).toString().replace(File.separatorChar, '.');
            try (JarFile file = new JarFile(jar.toFile())) {
                Enumeration<JarEntry> entries = file.entries();
                while (entries.hasMoreElements()) {
                    String name = entries.nextElement().getName();
                    if (name.endsWith(".class") && name.indexOf('/') > 0 && !name.startsWith("META-INF/")) {
                        String pkg = name.substring(0, name.lastIndexOf('/')).replace('/', '.');
                        providers.computeIfAbsent(pkg, k -> new HashSet<>()).add(group + ":" + artifact);
                    }
                }
            }
        }
        return providers;
    }

    /** The bundle's mandatory imports (optional ones may be missing in Karaf). */
    private static List<String> imports() throws IOException {
        assertThat(MANIFEST).as("the bundle manifest bnd writes (process-classes)").exists();
        try (InputStream in = Files.newInputStream(MANIFEST)) {
            String header = new Manifest(in).getMainAttributes().getValue("Import-Package");
            List<String> result = new ArrayList<>();
            // split on commas outside quotes
            for (String clause : header.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
                if (!clause.contains("resolution:=optional")) {
                    result.add(clause.split(";")[0].trim());
                }
            }
            return result;
        }
    }

    private static boolean jdk(String pkg) {
        return ModuleLayer.boot().modules().stream().anyMatch(m -> m.getPackages().contains(pkg));
    }

    /** True when {@code version} (1.2.3) lies within an OSGi range such as [4.14,4.15). */
    private static boolean inRange(String version, String range) {
        if (range.isEmpty()) {
            return true;
        }
        String[] bounds = range.substring(1, range.length() - 1).split(",");
        return compare(version, bounds[0]) >= 0 && (range.endsWith(")") ? compare(version, bounds[1]) < 0
                : compare(version, bounds[1]) <= 0);
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i].replaceAll("\\D.*", "")) : 0;
            int q = i < y.length ? Integer.parseInt(y[i].replaceAll("\\D.*", "")) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static Map<String, List<Element>> features(Document document) {
        Map<String, List<Element>> result = new HashMap<>();
        NodeList all = document.getDocumentElement().getChildNodes();
        for (int i = 0; i < all.getLength(); i++) {
            if (all.item(i) instanceof Element e && e.getLocalName().equals("feature")) {
                result.computeIfAbsent(e.getAttribute("name"), k -> new ArrayList<>()).add(e);
            }
        }
        return result;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getLocalName().equals(name)) {
                result.add(e);
            }
        }
        return result;
    }
}
