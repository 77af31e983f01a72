package io.unbreakable.payments.api.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.unbreakable.payments.api.ApiTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Keeps the dashboards and alert rules honest: after a scripted scenario (payments, a refund, a
 * replay, refusals, a lost PG answer, a finished batch run in Spring Batch's tables), every metric
 * named in ops/grafana/dashboards and ops/prometheus/alerts.yml must be in /actuator/prometheus (on the
 * management port), and
 * the rule file must pass promtool when it is installed.
 */
class ObservabilityContractTest extends ApiTest {

    private static final Path OPS = Path.of("..", "ops");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    /** PromQL's own words, and series Prometheus makes itself (not the app's). */
    private static final Set<String> NOT_APP_METRICS = Set.of("sum", "max", "min", "avg", "count", "rate", "irate", "increase",
            "histogram_quantile", "time", "vector", "and", "or", "unless", "by", "on", "without", "ignoring", "group_left",
            "group_right", "abs", "absent", "bool", "offset", "topk", "bottomk", "up");

    @Autowired
    OperationalGauges gauges;

    @Autowired
    MeterRegistry meters;

    @Test
    void everyMetricInADashboardOrAnAlertIsExported() throws IOException {
        double confirmsBefore = confirmsDone(); // the context's registry also counts earlier tests' confirms
        runTheScenario();
        String scrape = getManagement("/actuator/prometheus").text();
        Set<String> exported = new TreeSet<>();
        scrape.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .forEach(line -> exported.add(line.split("[{ ]", 2)[0]));

        Set<String> used = new TreeSet<>();
        dashboardExpressions().forEach(expr -> used.addAll(metricNames(expr)));
        alertExpressions().forEach(expr -> used.addAll(metricNames(expr)));

        assertThat(used).as("metric names found in the dashboards and rules").hasSizeGreaterThan(15);
        assertThat(exported).as("the app exports every metric the dashboards and alerts use").containsAll(used);
        // and the gauges say what the scenario did, not just that they exist
        assertThat(scrape).contains("payments_outcome_open{kind=\"payment\"} 1.0");
        assertThat(scrape).contains("ledger_trial_balance_imbalance_won 0.0");
        assertThat(scrape).contains("batch_job_last_run_failed{job_name=\"settlementJob\"} 0.0");
        assertThat(scrape).contains("batch_job_last_run_items_written{job_name=\"settlementJob\"} 42.0");
        assertThat(scrape).contains("batch_step_last_run_duration_seconds{job_name=\"settlementJob\",step_name=\"settleMerchants\"} 30.0");
        assertThat(scrape).containsPattern("batch_job_last_success_timestamp_seconds\\{job_name=\"settlementJob\"} 1\\.\\d+E9");
        assertThat(scrape).contains("batch_job_last_success_timestamp_seconds{job_name=\"walletReconciliationJob\"} 0.0");
        assertThat(scrape).contains("payments_confirms_total{outcome=\"DONE\",provider=\"toss\"}");
        assertThat(confirmsDone()).as("the scenario's one DONE confirm").isEqualTo(confirmsBefore + 1);
        assertThat(scrape).containsPattern("payments_api_errors_total\\{code=\"INVALID_REQUEST\",status=\"400\"} [1-9]");
        assertThat(scrape).containsPattern("payments_idempotency_replays_total [1-9]");
        assertThat(scrape).containsPattern("ledger_postings_total\\{type=\"PAYMENT_APPROVED\"} [1-9]");
    }

    @Test
    void aRequestCarriesItsCorrelationIdAndAnUnsafeOneIsReplaced() {
        TestMerchant merchant = createMerchant();
        Response given = get("/v1/wallet", merchant.basicAuth(), Map.of("X-Request-Id", "checkout-1234-abcd"));
        assertThat(given.headers().firstValue("X-Request-Id")).hasValue("checkout-1234-abcd");
        Response unsafe = get("/v1/wallet", merchant.basicAuth(), Map.of("X-Request-Id", "x\"}{\"level\":\"FAKE"));
        assertThat(unsafe.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f-]{36}");
    }

    @Test
    void alertRulesPassPromtool() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool)) {
            System.err.println("!!! promtool not installed (Debian package prometheus): alert rules NOT checked by promtool");
        }
        assumeTrue(Files.isExecutable(promtool), "promtool is not installed");
        Process check = new ProcessBuilder(promtool.toString(), "check", "rules", OPS.resolve("prometheus/alerts.yml").toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(output).isZero();
    }

    private double confirmsDone() {
        Counter done = meters.find("payments.confirms").tags("outcome", "DONE", "provider", "toss").counter();
        return done == null ? 0 : done.count();
    }

    private void runTheScenario() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        createOrder(merchant, "order-0002", 4_500, 2);
        Map<String, String> key = Map.of("Idempotency-Key", "confirm-order-0001");
        Map<String, Object> confirm = Map.of("paymentKey", "pk_1", "orderId", "order-0001", "amount", 10_000);
        assertThat(post("/v1/payments/confirm", merchant.basicAuth(), confirm, key).status()).isEqualTo(200);
        assertThat(post("/v1/payments/confirm", merchant.basicAuth(), confirm, key).headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(post("/v1/payments/pk_1/cancel", merchant.basicAuth(), Map.of("cancelReason", "부분 환불", "cancelAmount", 1_000)).status())
                .isEqualTo(200);
        assertThat(post("/v1/payments/confirm", merchant.basicAuth(), "{not json").status()).isEqualTo(400);
        assertThat(confirm(merchant, "test_timeout_2", "order-0002", 10_000).status()).as("a lost PG answer").isEqualTo(202);
        finishedBatchRun("settlementJob", 42);
        gauges.refresh();
        gauges.checkLedger();
    }

    /** What Spring Batch writes for a finished run: instance, execution, one step. */
    private void finishedBatchRun(String jobName, int written) {
        LocalDateTime end = LocalDateTime.now().minusMinutes(5);
        db.execute("insert into batch_job_instance (job_instance_id, version, job_name, job_key) values (1, 0, ?, 'k')", jobName);
        db.execute("""
                insert into batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time, end_time,
                                                 status, exit_code, exit_message, last_updated)
                values (1, 2, 1, ?, ?, ?, 'COMPLETED', 'COMPLETED', '', ?)""", end.minusSeconds(40), end.minusSeconds(40), end, end);
        db.execute("""
                insert into batch_step_execution (step_execution_id, version, step_name, job_execution_id, create_time, start_time,
                       end_time, status, commit_count, read_count, filter_count, write_count, read_skip_count,
                       write_skip_count, process_skip_count, rollback_count, exit_code, exit_message, last_updated)
                values (1, 3, 'settleMerchants', 1, ?, ?, ?, 'COMPLETED', 1, ?, 0, ?, 0, 0, 0, 0, 'COMPLETED', '', ?)""",
                end.minusSeconds(30), end.minusSeconds(30), end, written, written, end);
    }

    private static List<String> dashboardExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        try (Stream<Path> files = Files.list(OPS.resolve("grafana/dashboards"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".json")).toList()) {
                collectExpressions(JSON.readTree(Files.readString(file)), expressions);
            }
        }
        assertThat(expressions).as("dashboard queries").isNotEmpty();
        return expressions;
    }

    private static void collectExpressions(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("expr")) {
                    into.add(field.getValue().asString());
                } else {
                    collectExpressions(field.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectExpressions(child, into));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertExpressions() throws IOException {
        Map<String, Object> rules = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(OPS.resolve("prometheus/alerts.yml")));
        List<String> expressions = new ArrayList<>();
        for (Object group : (List<Object>) rules.get("groups")) {
            for (Object rule : (List<Object>) ((Map<String, Object>) group).get("rules")) {
                expressions.add((String) ((Map<String, Object>) rule).get("expr"));
            }
        }
        return expressions;
    }

    /** The series names in a PromQL expression: what is left after label matchers, ranges, strings and label lists go. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\"[^\"]*\"", " ")
                .replaceAll("\\b(by|on|without|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(bare);
        while (matcher.find()) {
            String token = matcher.group();
            if (!NOT_APP_METRICS.contains(token) && !token.matches("e\\d*")) {
                names.add(token);
            }
        }
        return names;
    }
}
