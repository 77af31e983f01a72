package io.unbreakable.payments.api;

import static io.unbreakable.payments.api.RepositoryFiles.ROOT;
import static io.unbreakable.payments.api.RepositoryFiles.list;
import static io.unbreakable.payments.api.RepositoryFiles.loadYaml;
import static io.unbreakable.payments.api.RepositoryFiles.map;
import static io.unbreakable.payments.api.RepositoryFiles.projectVersion;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps docker-compose.yml (at the repository root) honest without a Docker engine: the file is parsed
 * and checked against the code. The environment names it sets must be the ones the apps read, the jars
 * it runs must be the ones the build makes, every image is pinned, and the Prometheus and Grafana
 * files it mounts exist and point at the right places.
 */
class DockerComposeFileTest {

    private static final Path COMPOSE_FILE = ROOT.resolve("docker-compose.yml");

    private static final List<String> SERVICES =
            List.of("postgres", "pg-simulator", "payment-api", "settlement-batch", "rabbitmq", "settlement-worker", "prometheus",
                    "grafana", "loki", "alloy");
    /** What DatabaseSelectionAutoConfiguration (db module) reads; both apps use it. */
    private static final Set<String> DB_SETTINGS = Set.of("DB_HOST", "DB_PORT", "DB_NAME", "DB_USERNAME", "DB_PASSWORD");
    /** The modules whose main sources the apps are built from. */
    private static final List<String> APP_MODULES = List.of("payment-api", "settlement-batch", "db", "core");
    private static final List<String> APP_SETTING_PREFIXES = List.of("DB_", "PG_", "PAYMENT_", "PAYMENTS_", "MANAGEMENT_");

    private static Map<String, Object> compose;

    @BeforeAll
    static void parseComposeFile() {
        assertThat(COMPOSE_FILE).as("docker-compose.yml at the repository root").isRegularFile();
        compose = map(loadYaml(COMPOSE_FILE), "docker-compose.yml");
    }

    @Test
    void composeDeclaresTheWholeStack() {
        assertThat(services().keySet()).containsAll(SERVICES);
    }

    @Test
    void everyImageIsPinnedToAVersion() {
        services().forEach((name, definition) -> {
            Object image = map(definition, name).get("image");
            assertThat(image).as("image of service %s (compose runs the jars of target/ on stock images)", name)
                    .isInstanceOf(String.class);
            String reference = (String) image;
            assertThat(reference).as("image of %s", name).doesNotContain("${");
            if (reference.contains("@sha256:")) {
                return; // pinned by digest
            }
            int colon = reference.lastIndexOf(':');
            String tag = colon > reference.lastIndexOf('/') ? reference.substring(colon + 1) : "";
            assertThat(tag).as("tag of image %s of service %s", reference, name).isNotBlank().isNotEqualTo("latest");
        });
    }

    @Test
    void appsGetExactlyTheDatabaseSettingsTheyRead() {
        for (String app : List.of("payment-api", "settlement-batch")) {
            Set<String> dbNames = environment(app).keySet().stream()
                    .filter(name -> name.startsWith("DB_")).collect(Collectors.toCollection(TreeSet::new));
            assertThat(dbNames).as("DB_* environment of %s", app).isEqualTo(new TreeSet<>(DB_SETTINGS));
        }
    }

    @Test
    void paymentApiGetsItsAdminTokenFromTheEnvironmentAndAnExternalPg() {
        Map<String, String> environment = environment("payment-api");
        assertThat(environment).containsKeys("PAYMENT_ADMIN_TOKEN", "PG_BASE_URL");
        assertThat(environment.get("PAYMENT_ADMIN_TOKEN")).as("the admin token is not written into the file")
                .startsWith("${PAYMENT_ADMIN_TOKEN");
        assertThat(environment.get("PG_BASE_URL")).as("a blank PG_BASE_URL would start an in-process simulator")
                .isNotBlank();
    }

    @Test
    void appsConnectToTheComposeDatabaseAndPgSimulator() {
        Map<String, String> postgres = environment("postgres");
        for (String app : List.of("payment-api", "settlement-batch")) {
            Map<String, String> environment = environment(app);
            assertThat(environment.get("DB_HOST")).as("DB_HOST of %s", app).isEqualTo("postgres");
            assertThat(publishedPorts("postgres")).extracting(PortMapping::container)
                    .as("DB_PORT of %s", app).contains(Integer.parseInt(environment.get("DB_PORT")));
            assertThat(environment.get("DB_NAME")).as("DB_NAME of %s", app).isEqualTo(postgres.get("POSTGRES_DB"));
            assertThat(environment.get("DB_USERNAME")).as("DB_USERNAME of %s", app).isEqualTo(postgres.get("POSTGRES_USER"));
            assertThat(environment.get("DB_PASSWORD")).as("DB_PASSWORD of %s", app)
                    .isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        }
        URI pg = URI.create(environment("payment-api").get("PG_BASE_URL"));
        assertThat(pg.getHost()).isEqualTo("pg-simulator");
        assertThat(commandLine("pg-simulator")).as("the simulator's [port] [seed] [bindAddress] arguments")
                .contains("-exec.jar " + pg.getPort() + " ")
                .endsWith(" 0.0.0.0"); // the loopback default is unreachable from other containers
    }

    @Test
    void everyAppSettingInComposeIsReadByTheApplicationSources() {
        Set<String> settings = new TreeSet<>();
        for (String service : services().keySet()) {
            environment(service).keySet().stream()
                    .filter(name -> APP_SETTING_PREFIXES.stream().anyMatch(name::startsWith))
                    .forEach(settings::add);
        }
        assertThat(settings).as("app settings in docker-compose.yml").containsAll(DB_SETTINGS);

        List<String> sources = applicationSources();
        for (String setting : settings) {
            Pattern token = Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(setting) + "(?![A-Za-z0-9_])");
            assertThat(sources.stream().anyMatch(text -> token.matcher(text).find()))
                    .as("%s is set in docker-compose.yml but no src/main of %s mentions it", setting, APP_MODULES)
                    .isTrue();
        }
    }

    @Test
    void servicesPublishTheirUsualPorts() {
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("payment-api", 8080);
        expected.put("postgres", 5432);
        expected.put("prometheus", 9090);
        expected.put("grafana", 3000);
        expected.put("loki", 3100);
        expected.forEach((service, port) -> assertThat(publishedPorts(service)).as("ports of %s", service)
                .contains(new PortMapping(port, port)));
    }

    @Test
    void paymentApiStartsAfterAHealthyDatabaseAndReportsItsOwnHealth() {
        Map<String, Object> postgres = map(service("postgres").get("healthcheck"), "postgres healthcheck");
        assertThat(String.valueOf(postgres.get("test"))).contains("pg_isready");

        Map<String, Object> dependsOn = map(service("payment-api").get("depends_on"), "payment-api depends_on");
        assertThat(map(dependsOn.get("postgres"), "depends_on postgres").get("condition")).isEqualTo("service_healthy");
        assertThat(dependsOn).containsKey("pg-simulator");

        Map<String, Object> healthcheck = map(service("payment-api").get("healthcheck"), "payment-api healthcheck");
        assertThat(String.valueOf(healthcheck.get("test"))).as("actuator is on the management port")
                .contains("8081").contains("/actuator/health");
        assertThat(environment("payment-api")).containsEntry("MANAGEMENT_ADDRESS", "0.0.0.0");
        assertThat(list(service("payment-api").get("ports"), "payment-api ports")).as("the management port: this host only")
                .contains("127.0.0.1:8081:8081").doesNotContain("8081:8081");
    }

    @Test
    void bothAppsMustBeGivenTheDataKeyFromTheEnvironment() {
        for (String app : List.of("payment-api", "settlement-batch", "settlement-worker")) {
            assertThat(environment(app).get("PAYMENTS_DATA_KEY")).as("PAYMENTS_DATA_KEY of %s: required, never written here", app)
                    .startsWith("${PAYMENTS_DATA_KEY:?");
        }
    }

    @Test
    void settlementBatchRunsOnlyWhenAskedAndOnlyOnce() {
        Map<String, Object> batch = service("settlement-batch");
        assertThat(list(batch.get("profiles"), "settlement-batch profiles")).contains("batch");
        assertThat(batch.get("restart")).isEqualTo("no");
        assertThat(batch.get("entrypoint")).as("an entrypoint, so `docker compose run` arguments reach the jar")
                .isNotNull();
    }

    @Test
    void settlementWorkersAndTheirBrokerStartOnlyInTheWorkersProfile() {
        for (String service : List.of("rabbitmq", "settlement-worker")) {
            assertThat(list(service(service).get("profiles"), service + " profiles")).as("profiles of %s", service).contains("workers");
        }
        assertThat(commandLine("settlement-worker")).contains("java -jar /app/settlement-batch-" + projectVersion() + ".jar",
                "--payments.settlement.role=worker");
        for (String app : List.of("settlement-batch", "settlement-worker")) {
            assertThat(environment(app)).as("environment of %s", app).containsEntry("RABBITMQ_HOST", "rabbitmq");
        }
        assertThat(environment("settlement-worker").keySet()).as("the worker settles like the one-shot job")
                .containsAll(environment("settlement-batch").keySet());
    }

    @Test
    void appServicesRunTheJarsTheBuildProduces() {
        String version = projectVersion();
        Map<String, String> jars = new LinkedHashMap<>();
        jars.put("pg-simulator", "pg-simulator-" + version + "-exec.jar");
        jars.put("payment-api", "payment-api-" + version + ".jar");
        jars.put("settlement-batch", "settlement-batch-" + version + ".jar");
        jars.forEach((service, jar) -> {
            Mount target = volumes(service).stream()
                    .filter(mount -> Path.of(mount.source()).normalize().equals(Path.of(service, "target")))
                    .findFirst().orElse(null);
            assertThat(target).as("%s mounts ./%s/target", service, service).isNotNull();
            assertThat(target.readOnly()).as("%s mounts its jar read-only", service).isTrue();
            assertThat(commandLine(service)).as("command of %s", service)
                    .contains("java -jar " + target.target() + "/" + jar);
        });
    }

    @Test
    void everyMountedConfigFileIsInTheRepository() {
        services().keySet().forEach(service -> volumes(service).stream()
                .filter(mount -> mount.source().startsWith("."))
                .filter(mount -> !mount.source().contains("/target")) // made by ./mvnw package
                .forEach(mount -> assertThat(ROOT.resolve(mount.source()))
                        .as("%s of service %s", mount.source(), service).exists()));
    }

    @Test
    void prometheusScrapesPaymentApiActuatorEndpoint() {
        Path config = hostPathMountedAt("prometheus", "/etc/prometheus/prometheus.yml");
        assertThat(config).isRegularFile();
        List<Object> scrapeConfigs = list(map(loadYaml(config), "prometheus.yml").get("scrape_configs"), "scrape_configs");
        boolean scrapesPaymentApi = scrapeConfigs.stream()
                .map(job -> map(job, "scrape config"))
                .filter(job -> "/actuator/prometheus".equals(job.get("metrics_path")))
                .flatMap(job -> list(job.getOrDefault("static_configs", List.of()), "static_configs").stream())
                .flatMap(group -> list(map(group, "static config").get("targets"), "targets").stream())
                .anyMatch("payment-api:8081"::equals);
        assertThat(scrapesPaymentApi).as("a job scraping payment-api:8081/actuator/prometheus (management port) in %s", config).isTrue();
    }

    @Test
    void grafanaProvisionsPrometheusAsDefaultAndLoki() {
        Path provisioning = hostPathMountedAt("grafana", "/etc/grafana/provisioning");
        Path datasourcesFile = provisioning.resolve("datasources").resolve("datasources.yml");
        assertThat(datasourcesFile).isRegularFile();
        List<Map<String, Object>> datasources =
                list(map(loadYaml(datasourcesFile), "datasources.yml").get("datasources"), "datasources").stream()
                        .map(datasource -> map(datasource, "datasource")).collect(Collectors.toList());
        assertThat(datasources).anySatisfy(datasource -> {
            assertThat(datasource.get("name")).isEqualTo("Prometheus");
            assertThat(datasource.get("type")).isEqualTo("prometheus");
            assertThat(datasource.get("url")).isEqualTo("http://prometheus:9090");
            assertThat(datasource.get("isDefault")).isEqualTo(true);
        });
        assertThat(datasources).anySatisfy(datasource -> {
            assertThat(datasource.get("type")).isEqualTo("loki");
            assertThat(datasource.get("url")).isEqualTo("http://loki:3100");
        });
    }

    // ---- reading the compose file -------------------------------------------------------------------

    private record PortMapping(int published, int container) {
    }

    private record Mount(String source, String target, boolean readOnly) {
    }

    private static Map<String, Object> services() {
        return map(compose.get("services"), "services");
    }

    private static Map<String, Object> service(String name) {
        assertThat(services()).as("services").containsKey(name);
        return map(services().get(name), name);
    }

    /** The environment in either compose form: a map, or a list of NAME=value. */
    private static Map<String, String> environment(String service) {
        Object environment = service(service).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> entries) {
            entries.forEach((name, value) -> result.put(String.valueOf(name), value == null ? null : String.valueOf(value)));
        } else if (environment instanceof List<?> entries) {
            for (Object entry : entries) {
                String text = String.valueOf(entry);
                int equals = text.indexOf('=');
                result.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? null : text.substring(equals + 1));
            }
        }
        return result;
    }

    /** Ports in the short ("[ip:]published:container[/protocol]") or long (published/target) form. */
    private static List<PortMapping> publishedPorts(String service) {
        List<PortMapping> result = new ArrayList<>();
        for (Object port : list(service(service).getOrDefault("ports", List.of()), service + " ports")) {
            if (port instanceof Map<?, ?> longForm) {
                Object published = longForm.get("published");
                Object target = longForm.get("target");
                result.add(new PortMapping(published == null ? -1 : Integer.parseInt(String.valueOf(published)),
                        Integer.parseInt(String.valueOf(target))));
            } else {
                String[] parts = String.valueOf(port).replaceAll("/(tcp|udp)$", "").split(":");
                int container = Integer.parseInt(parts[parts.length - 1]);
                int published = parts.length > 1 ? Integer.parseInt(parts[parts.length - 2]) : -1;
                result.add(new PortMapping(published, container));
            }
        }
        return result;
    }

    /** Volumes in the short ("source:target[:mode]") or long (source/target/read_only) form. */
    private static List<Mount> volumes(String service) {
        List<Mount> result = new ArrayList<>();
        for (Object volume : list(service(service).getOrDefault("volumes", List.of()), service + " volumes")) {
            if (volume instanceof Map<?, ?> longForm) {
                result.add(new Mount(String.valueOf(longForm.get("source")), String.valueOf(longForm.get("target")),
                        Boolean.TRUE.equals(longForm.get("read_only"))));
            } else {
                String[] parts = String.valueOf(volume).split(":");
                if (parts.length >= 2) {
                    boolean readOnly = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
                    result.add(new Mount(parts[0], parts[1], readOnly));
                }
            }
        }
        return result;
    }

    private static Path hostPathMountedAt(String service, String containerPath) {
        return volumes(service).stream()
                .filter(mount -> mount.target().equals(containerPath))
                .map(mount -> ROOT.resolve(mount.source()).normalize())
                .findFirst()
                .orElseThrow(() -> new AssertionError(service + " mounts nothing at " + containerPath));
    }

    /** entrypoint then command, each a list or a string, joined by spaces. */
    private static String commandLine(String service) {
        Map<String, Object> definition = service(service);
        return Stream.of("entrypoint", "command")
                .map(definition::get)
                .filter(part -> part != null)
                .map(part -> part instanceof List<?> words
                        ? words.stream().map(String::valueOf).collect(Collectors.joining(" "))
                        : String.valueOf(part))
                .collect(Collectors.joining(" "));
    }

    // ---- reading the repository ---------------------------------------------------------------------

    private static List<String> applicationSources() {
        List<String> texts = new ArrayList<>();
        for (String module : APP_MODULES) {
            Path main = ROOT.resolve(module).resolve("src").resolve("main");
            assertThat(main).as("main sources of %s", module).isDirectory();
            try (Stream<Path> files = Files.walk(main)) {
                for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                    texts.add(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return texts;
    }
}
