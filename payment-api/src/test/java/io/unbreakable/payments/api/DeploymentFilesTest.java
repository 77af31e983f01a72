package io.unbreakable.payments.api;

import static io.unbreakable.payments.api.RepositoryFiles.ROOT;
import static io.unbreakable.payments.api.RepositoryFiles.list;
import static io.unbreakable.payments.api.RepositoryFiles.loadYaml;
import static io.unbreakable.payments.api.RepositoryFiles.map;
import static io.unbreakable.payments.api.RepositoryFiles.projectVersion;
import static io.unbreakable.payments.api.RepositoryFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keeps the apps' Dockerfiles, the CronJobs in jobs/kubernetes and jobs/crontab.example honest without
 * Docker or Kubernetes: the images copy the jars the build makes, run them with the AOT cache their training
 * run wrote, and are the images the CronJobs name; the crontab runs every job through jobs/run-batch.sh,
 * which trains its cache the same way the batch image does.
 */
class DeploymentFilesTest {

    private static final String BATCH_IMAGE = "unbreakable-payments/settlement-batch:" + projectVersion().replace("-SNAPSHOT", "");
    /** How the batch image and run-batch.sh both train: no job, and a temporary embedded PostgreSQL. */
    private static final String BATCH_TRAINING_ARGUMENTS =
            "--spring.batch.job.name= --DB_HOST= --payments.embedded-database.data-directory=";
    private static final Pattern JOB_NAME = Pattern.compile("--spring\\.batch\\.job\\.name=(\\w+)");

    @ParameterizedTest
    @ValueSource(strings = {"payment-api", "settlement-batch"})
    void imageCopiesTheJarTheBuildMakes(String app) {
        List<String> jarFile = instructions(app, "ARG").stream().filter(arg -> arg.startsWith("JAR_FILE=")).toList();
        assertThat(jarFile).as("ARG JAR_FILE of %s/Dockerfile", app)
                .containsExactly("JAR_FILE=target/" + app + "-" + projectVersion() + ".jar");
    }

    @ParameterizedTest
    @ValueSource(strings = {"payment-api", "settlement-batch"})
    void imageBuildsOnTheImageComposeRunsTheAppOn(String app) {
        Object composeImage = at(loadYaml(ROOT.resolve("docker-compose.yml")), "services", app, "image");
        assertThat(instructions(app, "FROM")).as("FROM of %s/Dockerfile", app).isNotEmpty()
                .allSatisfy(from -> assertThat(from.split("\\s+")[0]).isEqualTo(composeImage));
    }

    @ParameterizedTest
    @ValueSource(strings = {"payment-api", "settlement-batch"})
    void imageStartsWithTheCacheItsTrainingRunWrote(String app) {
        List<String> trainings = instructions(app, "RUN").stream().filter(run -> run.contains("-XX:AOTCacheOutput=")).toList();
        assertThat(trainings).as("training runs in %s/Dockerfile", app).hasSize(1);
        String training = trainings.get(0);
        List<String> entrypoint = list(loadYaml(instructions(app, "ENTRYPOINT").get(0)), "ENTRYPOINT").stream()
                .map(String::valueOf).toList();
        assertThat(entrypoint).as("ENTRYPOINT of %s/Dockerfile: the jar's arguments follow it", app).containsExactly(
                "java", "-XX:AOTCache=" + valueAfter("-XX:AOTCacheOutput=", training), "-jar", valueAfter("-jar ", training));
    }

    @Test
    void paymentApiImageOpensItsManagementPortToTheContainerNetwork() {
        assertThat(instructions("payment-api", "ENV")).contains("MANAGEMENT_ADDRESS=0.0.0.0");
        assertThat(instructions("payment-api", "EXPOSE")).containsExactly("8080 8081");
    }

    @Test
    void everyCronJobGetsTheDataKeySecret() {
        for (Path manifest : cronJobManifests()) {
            Object containers = at(loadYaml(manifest), "spec", "jobTemplate", "spec", "template", "spec", "containers");
            Object envFrom = at(list(containers, "containers of " + manifest).get(0), "envFrom");
            assertThat(String.valueOf(envFrom)).as("envFrom of %s: PAYMENTS_DATA_KEY", manifest).contains("payments-data-key");
        }
    }

    @Test
    void settlementWorkersRunTheBatchImageAsWorkersWithTheDataKeyAndTheBroker() {
        List<Path> deployments = manifestsOfKind("Deployment");
        assertThat(deployments).extracting(path -> path.getFileName().toString()).containsExactly("settlement-worker.yaml");
        Object container = list(at(loadYaml(deployments.get(0)), "spec", "template", "spec", "containers"), "containers").get(0);
        assertThat(at(container, "image")).isEqualTo(BATCH_IMAGE);
        assertThat(String.valueOf(at(container, "args"))).contains("--payments.settlement.role=worker");
        assertThat(String.valueOf(at(container, "envFrom"))).contains("payments-db", "payments-data-key", "payments-rabbitmq");
    }

    @Test
    void batchImageAndRunBatchScriptTrainTheSameWay() {
        assertThat(instructions("settlement-batch", "RUN")).anySatisfy(run -> assertThat(run).contains(BATCH_TRAINING_ARGUMENTS));
        assertThat(read(ROOT.resolve("jobs/run-batch.sh"))).contains(BATCH_TRAINING_ARGUMENTS);
    }

    @Test
    void cronJobsRunTheBatchImageAndCrontabTheScriptForTheSameJobs() {
        Set<String> cronJobs = new TreeSet<>();
        for (Path manifest : cronJobManifests()) {
            Object containers = at(loadYaml(manifest), "spec", "jobTemplate", "spec", "template", "spec", "containers");
            Object container = list(containers, "containers of " + manifest).get(0);
            assertThat(at(container, "image")).as("image of %s", manifest).isEqualTo(BATCH_IMAGE);
            String args = String.valueOf(at(container, "args"));
            Matcher job = JOB_NAME.matcher(args);
            assertThat(job.find()).as("a job name in the args of %s", manifest).isTrue();
            cronJobs.add(job.group(1));
        }
        assertThat(read(ROOT.resolve("settlement-batch/Dockerfile")))
                .as("settlement-batch/Dockerfile says how to build the image the CronJobs run")
                .contains("docker build -t " + BATCH_IMAGE + " settlement-batch");

        List<String> crontabJobs = read(ROOT.resolve("jobs/crontab.example")).lines()
                .filter(line -> line.matches("[0-9*@].*")) // a schedule: a job line
                .toList();
        assertThat(crontabJobs).as("job lines of jobs/crontab.example").isNotEmpty().allSatisfy(line -> assertThat(line)
                .as("a crontab line runs the jar through run-batch.sh (extracted, AOT cache)")
                .contains("./run-batch.sh --spring.batch.job.name=").doesNotContain("java -jar"));
        Set<String> crontab = crontabJobs.stream().map(JOB_NAME::matcher).filter(Matcher::find).map(m -> m.group(1))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(crontab).as("jobs in jobs/crontab.example").isEqualTo(cronJobs);
    }

    /** The Dockerfile's instructions of one kind, each with its continuation lines joined, comments left out. */
    private static List<String> instructions(String app, String kind) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : read(ROOT.resolve(app).resolve("Dockerfile")).lines().toList()) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            current.append(line.strip());
            if (line.strip().endsWith("\\")) {
                current.setLength(current.length() - 1);
                continue;
            }
            String instruction = current.toString();
            current.setLength(0);
            if (instruction.startsWith(kind + " ")) {
                result.add(instruction.substring(kind.length() + 1).strip());
            }
        }
        return result;
    }

    /** The value under these keys of nested YAML maps. */
    private static Object at(Object yaml, String... keys) {
        Object value = yaml;
        for (String key : keys) {
            value = map(value, "the map holding " + key).get(key);
        }
        return value;
    }

    private static String valueAfter(String prefix, String command) {
        int start = command.indexOf(prefix);
        assertThat(start).as("%s in %s", prefix, command).isNotNegative();
        return command.substring(start + prefix.length()).split("\\s+")[0];
    }

    private static List<Path> cronJobManifests() {
        return manifestsOfKind("CronJob");
    }

    private static List<Path> manifestsOfKind(String kind) {
        try (Stream<Path> files = Files.list(ROOT.resolve("jobs/kubernetes"))) {
            List<Path> manifests = files.filter(file -> file.toString().endsWith(".yaml"))
                    .filter(file -> kind.equals(at(loadYaml(file), "kind"))).sorted().toList();
            assertThat(manifests).as("jobs/kubernetes/*.yaml of kind %s", kind).isNotEmpty();
            return manifests;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
