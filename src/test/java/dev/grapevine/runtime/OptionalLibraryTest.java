package dev.grapevine.runtime;

import dev.grapevine.kv.KvService;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a project that depends on Grapevine gets: pom.xml's compile dependencies are the library's
 * (Pekko, Jackson; Typesafe Config and the SLF4J API come with Pekko), every other one is optional,
 * and the coordinates the node names when an optional library is missing are pom.xml's.
 */
class OptionalLibraryTest {

    /** groupId:artifactId of the dependencies in the main scope, with version and whether optional. */
    private record Dependency(String version, boolean optional) {
    }

    private static Map<String, Dependency> mainDependencies() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Element project = pom.getDocumentElement();
        Map<String, String> properties = new TreeMap<>();
        for (Element props : children(project, "properties")) {
            NodeList all = props.getChildNodes();
            for (int i = 0; i < all.getLength(); i++) {
                if (all.item(i) instanceof Element p) {
                    properties.put(p.getTagName(), p.getTextContent().trim());
                }
            }
        }
        Map<String, Dependency> out = new TreeMap<>();
        for (Element deps : children(project, "dependencies")) { // the project's own, not a profile's
            for (Element d : children(deps, "dependency")) {
                String scope = text(d, "scope", "compile");
                if (!scope.equals("compile") && !scope.equals("runtime")) {
                    continue;
                }
                String version = resolve(text(d, "version", "(managed)"), properties);
                out.put(text(d, "groupId", "") + ":" + text(d, "artifactId", ""),
                        new Dependency(version, Boolean.parseBoolean(text(d, "optional", "false"))));
            }
        }
        return out;
    }

    @Test
    void onlyTheLibrarysOwnDependenciesAreRequired() throws Exception {
        Set<String> required = new TreeSet<>();
        mainDependencies().forEach((ga, d) -> {
            if (!d.optional()) {
                required.add(ga);
            }
        });
        assertEquals(Set.of(
                "org.apache.pekko:pekko-actor-typed_2.13",
                "org.apache.pekko:pekko-remote_2.13",
                "org.apache.pekko:pekko-slf4j_2.13",
                "org.apache.pekko:pekko-serialization-jackson_2.13",
                "com.fasterxml.jackson.core:jackson-databind"), required);
    }

    @Test
    void theAgentsLibrariesAreOptional() throws Exception {
        Map<String, Dependency> deps = mainDependencies();
        for (String ga : new String[]{"ch.qos.logback:logback-classic", "info.picocli:picocli", "com.h2database:h2-mvstore",
                "io.micrometer:micrometer-registry-prometheus", "org.bouncycastle:bcpkix-jdk18on", "dnsjava:dnsjava"}) {
            assertTrue(deps.containsKey(ga) && deps.get(ga).optional(), ga + " should be an optional dependency");
        }
    }

    @Test
    void theMissingLibraryMessagesNamePomsCoordinates() throws Exception {
        Map<String, Dependency> deps = mainDependencies();
        Set<String> named = new TreeSet<>();
        for (OptionalLibrary library : OptionalLibrary.values()) {
            named.add(library.coordinates());
        }
        named.add(KvService.STORE_LIBRARY);
        for (String coordinates : named) {
            String ga = coordinates.substring(0, coordinates.lastIndexOf(':'));
            Dependency d = deps.get(ga);
            assertTrue(d != null && d.optional(), ga + " should be an optional dependency in pom.xml");
            assertEquals(coordinates, ga + ":" + d.version());
        }
    }

    @Test
    void aPresentLibraryIsNoProblem() {
        // The test classpath has every optional library, as the agent does.
        for (OptionalLibrary library : OptionalLibrary.values()) {
            assertTrue(library.present(), library.name());
            assertNull(library.missingFor("a feature"));
        }
    }

    private static java.util.List<Element> children(Element parent, String tag) {
        java.util.List<Element> out = new java.util.ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String tag, String otherwise) {
        java.util.List<Element> found = children(parent, tag);
        return found.isEmpty() ? otherwise : found.get(0).getTextContent().trim();
    }

    private static String resolve(String value, Map<String, String> properties) {
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(properties.getOrDefault(m.group(1), m.group())));
        }
        return m.appendTail(out).toString();
    }
}
