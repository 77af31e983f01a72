import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads JaCoCo's aggregate XML report, prints the coverage of every module and of the whole, and
 * exits 1 when the whole is under the line or branch floor or a money class is not covered to
 * 100 % of its lines and branches. Run by the coverage module in {@code verify} (a single-file
 * program, like db's jOOQ generator, so the build needs no plugin of its own for it).
 *
 * <p>Arguments: the report, the line floor, the branch floor (percent), the money classes
 * (comma-separated binary names).
 */
public class CoverageFloors {

    record Counts(long missed, long covered) {
        double percent() {
            return missed + covered == 0 ? 100.0 : 100.0 * covered / (missed + covered);
        }

        String show() {
            return String.format(Locale.ROOT, "%.1f %% (%d/%d)", percent(), covered, missed + covered);
        }
    }

    public static void main(String[] args) throws Exception {
        Path report = Path.of(args[0]);
        double lineFloor = Double.parseDouble(args[1]);
        double branchFloor = Double.parseDouble(args[2]);
        Set<String> money = new LinkedHashSet<>(Arrays.asList(args[3].split(",")));
        if (!Files.exists(report)) {
            System.out.println("[coverage] no aggregate report at " + report + " (no tests ran): floors not checked");
            return;
        }
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document document = factory.newDocumentBuilder().parse(report.toFile());
        Element root = document.getDocumentElement();
        List<String> failures = new ArrayList<>();

        for (Element group : children(root, "group")) {
            System.out.println(String.format(Locale.ROOT, "[coverage] %-16s lines %s, branches %s", group.getAttribute("name"),
                    counter(group, "LINE").show(), counter(group, "BRANCH").show()));
        }
        Counts lines = counter(root, "LINE");
        Counts branches = counter(root, "BRANCH");

        Set<String> found = new LinkedHashSet<>();
        for (Element group : children(root, "group")) {
            for (Element pkg : children(group, "package")) {
                for (Element type : children(pkg, "class")) {
                    String name = type.getAttribute("name").replace('/', '.');
                    String outer = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
                    if (!money.contains(outer)) {
                        continue;
                    }
                    found.add(outer);
                    Counts classLines = counter(type, "LINE");
                    Counts classBranches = counter(type, "BRANCH");
                    if (classLines.missed() > 0 || classBranches.missed() > 0) {
                        failures.add("money class " + name + " is not fully covered: lines " + classLines.show() + ", branches "
                                + classBranches.show());
                    }
                }
            }
        }
        Set<String> missing = new LinkedHashSet<>(money);
        missing.removeAll(found);
        for (String absent : missing) {
            failures.add("money class " + absent + " is not in the report (renamed? update coverage.money.classes in the root pom)");
        }
        if (lines.percent() < lineFloor) {
            failures.add(String.format(Locale.ROOT, "lines %.1f %% < floor %.0f %%", lines.percent(), lineFloor));
        }
        if (branches.percent() < branchFloor) {
            failures.add(String.format(Locale.ROOT, "branches %.1f %% < floor %.0f %%", branches.percent(), branchFloor));
        }
        System.out.println(String.format(Locale.ROOT,
                "[coverage] ALL MODULES      lines %s (floor %.0f %%), branches %s (floor %.0f %%); money code (%d classes) %s; report: %s",
                lines.show(), lineFloor, branches.show(), branchFloor, money.size(),
                failures.stream().anyMatch(f -> f.startsWith("money")) ? "NOT 100 %" : "100 % of lines and branches",
                report.resolveSibling("index.html")));
        if (!failures.isEmpty()) {
            failures.forEach(failure -> System.out.println("[coverage] FAILED: " + failure));
            System.exit(1);
        }
    }

    /** The element's own counter of a type (its direct child), not a descendant's. */
    private static Counts counter(Element element, String type) {
        for (Element counter : children(element, "counter")) {
            if (counter.getAttribute("type").equals(type)) {
                return new Counts(Long.parseLong(counter.getAttribute("missed")), Long.parseLong(counter.getAttribute("covered")));
            }
        }
        return new Counts(0, 0);
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(tag)) {
                found.add(element);
            }
        }
        return found;
    }
}
