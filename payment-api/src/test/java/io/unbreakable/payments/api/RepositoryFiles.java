package io.unbreakable.payments.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Reading the repository's own files (tests run in payment-api/, so the repository root is ".."). */
final class RepositoryFiles {

    static final Path ROOT = Path.of("..");

    private RepositoryFiles() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Object loadYaml(Path file) {
        return loadYaml(read(file));
    }

    static Object loadYaml(String text) {
        return new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    /** The version in the root pom.xml, which every module and jar name carries. */
    static String projectVersion() {
        try {
            Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(ROOT.resolve("pom.xml").toFile()).getDocumentElement();
            for (Node child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child.getNodeType() == Node.ELEMENT_NODE && "version".equals(child.getNodeName())) {
                    return child.getTextContent().trim();
                }
            }
            throw new AssertionError("the root pom.xml has no <version>");
        } catch (Exception e) {
            throw new IllegalStateException("could not read the root pom.xml", e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        assertThat(value).as(what).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String what) {
        assertThat(value).as(what).isInstanceOf(List.class);
        return (List<Object>) value;
    }
}
