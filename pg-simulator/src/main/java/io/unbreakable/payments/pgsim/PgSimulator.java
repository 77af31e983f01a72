package io.unbreakable.payments.pgsim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Toss Payments-style PG over real HTTP, for development, tests and benchmarks.
 *
 * <p>Sandbox conventions: a paymentKey (or billing authKey, or billing customerKey) starting with
 * {@code test_decline_} is declined; a paymentKey (or billing customerKey) starting with
 * {@code test_timeout_} is approved and then never answered, so the client times out while the
 * simulator's record, which inquiries read, holds the truth. Every call with the same
 * Idempotency-Key gets the first answer again. A billing key can be made to decline its charges for
 * a while ({@link #setDecliningCharges}, {@code PUT /__sim/billing {"billingKey", "declining"}}), as a card over its limit.
 *
 * <p>Faults ({@link SimulatorFaults}) are seeded and can be changed while it runs:
 * {@code PUT /__sim/faults}; counters at {@code GET /__sim/stats}; {@code POST /__sim/billing/seed} issues
 * many billing keys in one call (benchmarks).
 *
 * <p>Payouts (지급대행, {@link SimulatedPayouts}): {@code POST /v2/payouts}, {@code GET /v2/payouts/{refPayoutId}},
 * {@code POST /v2/bank-accounts/holder-check}; seeded payout failures and asynchronous results through
 * {@code PUT /__sim/payouts {"failureRate", "asyncMs"}}.
 */
public final class PgSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PgSimulator.class);
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final Pattern CANCEL = Pattern.compile("^/v1/payments/([^/]+)/cancel$");
    private static final Pattern PAYMENT = Pattern.compile("^/v1/payments/([^/]+)$");
    private static final Pattern PAYMENT_BY_ORDER = Pattern.compile("^/v1/payments/orders/([^/]+)$");
    private static final Pattern BILLING_CHARGE = Pattern.compile("^/v1/billing/([^/]+)$");
    private static final Pattern PAYOUT = Pattern.compile("^/v2/payouts/([^/]+)$");

    private final HttpServer server;
    private final ExecutorService executor;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Clock clock;
    private final Random random;
    private volatile SimulatorFaults faults;

    private final Map<String, SimulatedPayment> payments = new ConcurrentHashMap<>();
    private final Map<String, String> paymentKeyByOrderId = new ConcurrentHashMap<>();
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final Map<String, String> billingKeys = new ConcurrentHashMap<>();
    private final Set<String> decliningBillingKeys = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private final SimulatedPayouts payouts;

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong approvals = new AtomicLong();
    private final AtomicLong cancels = new AtomicLong();
    private final AtomicLong injectedErrors = new AtomicLong();
    private final AtomicLong injectedTimeouts = new AtomicLong();

    private PgSimulator(HttpServer server, long seed, SimulatorFaults faults, Clock clock) {
        this.server = server;
        this.random = new Random(seed);
        this.faults = faults;
        this.clock = clock;
        this.payouts = new SimulatedPayouts(seed, clock);
        // calls that "never answer" park a thread each; a cached pool keeps the others flowing
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "pg-sim");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts on the given port (0 = any free port) on the loopback address. */
    public static PgSimulator start(int port, long seed, SimulatorFaults faults) {
        return start("127.0.0.1", port, seed, faults);
    }

    public static PgSimulator start(String bindAddress, int port, long seed, SimulatorFaults faults) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 512);
            PgSimulator simulator = new PgSimulator(server, seed, faults, Clock.systemUTC());
            server.start();
            log.info("PG simulator listening on {} (seed {}, faults {})", simulator.baseUrl(), seed, faults);
            return simulator;
        } catch (IOException e) {
            throw new UncheckedIOException("PG simulator could not listen on port " + port, e);
        }
    }

    /** {@code java -jar pg-simulator-exec.jar [port=8089] [seed=42] [bindAddress=127.0.0.1]} (0.0.0.0 in a container). */
    public static void main(String[] args) {
        // the JDK server keeps at most 200 idle keep-alive connections and closes the rest; a client with
        // more in flight then reuses closed ones ("header parser received no bytes"). A PG keeps far more.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "2000");
        }
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8089;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42L;
        String bindAddress = args.length > 2 ? args[2] : "127.0.0.1";
        start(bindAddress, port, seed, SimulatorFaults.NONE);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort(); // in-process use: always loopback
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void setFaults(SimulatorFaults faults) {
        this.faults = faults;
        log.info("PG simulator faults now {}", faults);
    }

    public SimulatorFaults faults() {
        return faults;
    }

    /** PG approvals of real payments (confirms and billing charges) since start. */
    public long approvals() {
        return approvals.get();
    }

    /** Whether the PG holds an approval for this payment key: the truth an inquiry tells. */
    public boolean isApproved(String paymentKey) {
        SimulatedPayment payment = payments.get(paymentKey);
        return payment != null && !payment.status.equals("ABORTED");
    }

    /** Every payment the PG holds approved (canceled in part or in full included), by payment key: its balance. */
    public Map<String, Long> approvedBalances() {
        synchronized (lock) {
            Map<String, Long> balances = new java.util.TreeMap<>();
            payments.values().stream().filter(payment -> !payment.status.equals("ABORTED"))
                    .forEach(payment -> balances.put(payment.paymentKey, payment.balanceAmount()));
            return balances;
        }
    }

    /**
     * Payout faults from now on: {@code failureRate} of new payout references fail (seeded by reference), and
     * with {@code asyncMs} > 0 a payout is answered REQUESTED and settles that long after its request.
     */
    public void setPayoutFaults(double failureRate, long asyncMs) {
        payouts.faults = new SimulatedPayouts.PayoutFaults(failureRate, asyncMs);
    }

    /** How many times each of our payouts was paid, by reference prefix ("payout-17"): more than 1 is a double payment. */
    public Map<String, Long> completedPayouts() {
        return payouts.completedByPayout();
    }

    /** From now on the billing key's charges are declined (a card over its limit), or approved again. */
    public void setDecliningCharges(String billingKey, boolean declining) {
        if (declining) {
            decliningBillingKeys.add(billingKey);
        } else {
            decliningBillingKeys.remove(billingKey);
        }
    }

    public Map<String, Long> stats() {
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("requests", requests.get());
        stats.put("approvals", approvals.get());
        stats.put("cancels", cancels.get());
        stats.put("injectedErrors", injectedErrors.get());
        stats.put("injectedTimeouts", injectedTimeouts.get());
        stats.putAll(payouts.stats());
        return stats;
    }

    /** Forgets every payment and counter (tests). */
    public void reset() {
        synchronized (lock) {
            payments.clear();
            paymentKeyByOrderId.clear();
            replies.clear();
            billingKeys.clear();
            decliningBillingKeys.clear();
            requests.set(0);
            approvals.set(0);
            cancels.set(0);
            injectedErrors.set(0);
            injectedTimeouts.set(0);
            payouts.reset();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.startsWith("/__sim/")) {
                control(exchange, method, path);
                return;
            }
            requests.incrementAndGet();
            if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
                send(exchange, new Reply(401, error("UNAUTHORIZED_KEY", "인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.")));
                return;
            }
            SimulatorFaults current = faults;
            sleep(latency(current));
            if (current.inOutage(clock.instant())) {
                send(exchange, new Reply(503, error("PROVIDER_ERROR", "PG outage (simulated)")));
                return;
            }
            if (draw() < current.errorRate()) {
                injectedErrors.incrementAndGet();
                send(exchange, new Reply(500, error("PROVIDER_ERROR", "일시적인 오류가 발생했습니다. (simulated)")));
                return;
            }
            JsonNode body = method.equals("POST") ? readBody(exchange.getRequestBody()) : null;
            String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            Reply reply = route(method, path, body, idempotencyKey);
            // test_timeout_ swallows the first answer only: a retry with the same Idempotency-Key gets it
            boolean forcedTimeout = !reply.replayed() && body != null && (body.path("paymentKey").asString("").startsWith("test_timeout_")
                    || body.path("customerKey").asString("").startsWith("test_timeout_") && path.startsWith("/v1/billing/") && !path.endsWith("/issue")
                    || body.path("accountNumber").asString("").startsWith("996") && path.equals("/v2/payouts"));
            if (forcedTimeout || draw() < current.timeoutRate()) {
                injectedTimeouts.incrementAndGet();
                sleep(current.hangMs()); // the work is done and recorded; the answer never comes
                return;
            }
            send(exchange, reply);
        } catch (RuntimeException e) {
            log.warn("PG simulator failed on {}", exchange.getRequestURI(), e);
            send(exchange, new Reply(500, error("PROVIDER_ERROR", e.getMessage())));
        }
    }

    private Reply route(String method, String path, JsonNode body, String idempotencyKey) {
        Matcher matcher;
        if (method.equals("POST") && path.equals("/v1/payments/confirm")) {
            return once("confirm", idempotencyKey, () -> confirm(body));
        }
        if (method.equals("POST") && (matcher = CANCEL.matcher(path)).matches()) {
            String paymentKey = matcher.group(1);
            return once("cancel", idempotencyKey, () -> cancel(paymentKey, body));
        }
        if (method.equals("POST") && path.equals("/v1/billing/authorizations/issue")) {
            return once("billing-issue", idempotencyKey, () -> issueBillingKey(body));
        }
        if (method.equals("GET") && (matcher = PAYMENT_BY_ORDER.matcher(path)).matches()) {
            String paymentKey = paymentKeyByOrderId.get(matcher.group(1));
            return paymentKey == null ? notFound() : paymentReply(payments.get(paymentKey));
        }
        if (method.equals("GET") && (matcher = PAYMENT.matcher(path)).matches()) {
            SimulatedPayment payment = payments.get(matcher.group(1));
            return payment == null ? notFound() : paymentReply(payment);
        }
        if (method.equals("POST") && (matcher = BILLING_CHARGE.matcher(path)).matches()) {
            String billingKey = matcher.group(1);
            return once("billing-charge", idempotencyKey, () -> chargeBillingKey(billingKey, body));
        }
        if (method.equals("POST") && path.equals("/v2/payouts")) {
            return requestPayout(body);
        }
        if (method.equals("GET") && (matcher = PAYOUT.matcher(path)).matches()) {
            SimulatedPayouts.Payout payout = payouts.find(matcher.group(1));
            return payout == null ? new Reply(404, error("NOT_FOUND_PAYOUT", "존재하지 않는 지급대행 요청입니다."))
                    : new Reply(200, payouts.reply(payout));
        }
        if (method.equals("POST") && path.equals("/v2/bank-accounts/holder-check")) {
            return checkHolder(body);
        }
        return new Reply(404, error("NOT_FOUND", "no such endpoint: " + method + " " + path));
    }

    /** One payout per refPayoutId, whatever the Idempotency-Key: a repeated request answers the first record. */
    private Reply requestPayout(JsonNode body) {
        String refPayoutId = body.path("refPayoutId").asString(null);
        long amount = body.path("amount").asLong(-1);
        String bankCode = body.path("bankCode").asString(null);
        String accountNumber = body.path("accountNumber").asString("");
        if (refPayoutId == null || refPayoutId.isBlank() || amount <= 0 || bankCode == null || !accountNumber.matches("\\d{6,20}")
                || body.path("holderName").asString("").isBlank()) {
            return new Reply(400, error("INVALID_REQUEST", "refPayoutId, a positive amount, bankCode, accountNumber (digits) and holderName are required"));
        }
        Map.Entry<SimulatedPayouts.Payout, Boolean> payout = payouts.request(refPayoutId, amount, bankCode, accountNumber);
        return new Reply(200, payouts.reply(payout.getKey()), payout.getValue());
    }

    private Reply checkHolder(JsonNode body) {
        String accountNumber = body.path("accountNumber").asString("");
        if (body.path("bankCode").asString("").isBlank() || !accountNumber.matches("\\d{6,20}")
                || body.path("holderName").asString("").isBlank()) {
            return new Reply(400, error("INVALID_REQUEST", "bankCode, accountNumber (digits) and holderName are required"));
        }
        return new Reply(200, Map.of("bankCode", body.path("bankCode").asString(""), "matched", payouts.holderMatches(accountNumber)));
    }

    /** The first answer to an Idempotency-Key is the answer to every retry with it. */
    private Reply once(String operation, String idempotencyKey, java.util.function.Supplier<Reply> work) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            synchronized (lock) {
                return work.get();
            }
        }
        String key = operation + ":" + idempotencyKey;
        synchronized (lock) {
            Reply previous = replies.get(key);
            if (previous != null) {
                return new Reply(previous.status(), previous.body(), true);
            }
            Reply reply = work.get();
            if (reply.status() < 500) {
                replies.put(key, reply);
            }
            return reply;
        }
    }

    private Reply confirm(JsonNode body) {
        String paymentKey = body.path("paymentKey").asString(null);
        String orderId = body.path("orderId").asString(null);
        long amount = body.path("amount").asLong(-1);
        if (paymentKey == null || orderId == null || amount <= 0) {
            return new Reply(400, error("INVALID_REQUEST", "paymentKey, orderId and a positive amount are required"));
        }
        SimulatedPayment existing = payments.get(paymentKey);
        if (existing != null) {
            return existing.status.equals("ABORTED")
                    ? new Reply(403, error("REJECT_CARD_PAYMENT", "한도초과 혹은 잔액부족으로 결제에 실패했습니다."))
                    : new Reply(400, error("ALREADY_PROCESSED_PAYMENT", "이미 처리된 결제 입니다."));
        }
        if (paymentKey.startsWith("test_decline_")) {
            payments.put(paymentKey, new SimulatedPayment(paymentKey, orderId, amount, null, "ABORTED", "카드"));
            return new Reply(403, error("REJECT_CARD_PAYMENT", "한도초과 혹은 잔액부족으로 결제에 실패했습니다."));
        }
        return approve(paymentKey, orderId, amount);
    }

    private Reply approve(String paymentKey, String orderId, long amount) {
        SimulatedPayment payment = new SimulatedPayment(paymentKey, orderId, amount, OffsetDateTime.now(clock).atZoneSameInstant(SEOUL).toOffsetDateTime(), "DONE", "카드");
        payments.put(paymentKey, payment);
        paymentKeyByOrderId.put(orderId, paymentKey);
        approvals.incrementAndGet();
        return paymentReply(payment);
    }

    private Reply cancel(String paymentKey, JsonNode body) {
        SimulatedPayment payment = payments.get(paymentKey);
        if (payment == null || payment.status.equals("ABORTED")) {
            return notFound();
        }
        long balance = payment.balanceAmount();
        long amount = body.hasNonNull("cancelAmount") ? body.path("cancelAmount").asLong(-1) : balance;
        if (amount <= 0) {
            return new Reply(400, error("INVALID_REQUEST", "cancelAmount must be positive"));
        }
        if (balance == 0) {
            return new Reply(400, error("ALREADY_CANCELED_PAYMENT", "이미 취소된 결제 입니다."));
        }
        if (amount > balance) {
            return new Reply(403, error("EXCEED_CANCEL_AMOUNT", "취소 할 금액이 취소 가능한 금액보다 큽니다."));
        }
        payment.cancels.add(new SimulatedPayment.Cancel(
                "tx_" + UUID.randomUUID().toString().replace("-", ""), amount,
                body.path("cancelReason").asString(""), OffsetDateTime.now(clock).atZoneSameInstant(SEOUL).toOffsetDateTime()));
        cancels.incrementAndGet();
        return paymentReply(payment);
    }

    private Reply issueBillingKey(JsonNode body) {
        String customerKey = body.path("customerKey").asString(null);
        String authKey = body.path("authKey").asString(null);
        if (customerKey == null || authKey == null) {
            return new Reply(400, error("INVALID_REQUEST", "customerKey and authKey are required"));
        }
        if (authKey.startsWith("test_decline_")) {
            return new Reply(403, error("REJECT_CARD_COMPANY", "카드사에서 발급을 거절했습니다."));
        }
        String billingKey = "bk_" + UUID.randomUUID().toString().replace("-", "");
        billingKeys.put(billingKey, customerKey);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("billingKey", billingKey);
        reply.put("customerKey", customerKey);
        reply.put("authenticatedAt", OffsetDateTime.now(clock).atZoneSameInstant(SEOUL).toOffsetDateTime().toString());
        reply.put("cardCompany", "신한");
        reply.put("cardNumber", "4330****1234****");
        return new Reply(200, reply);
    }

    private Reply chargeBillingKey(String billingKey, JsonNode body) {
        String customerKey = billingKeys.get(billingKey);
        if (customerKey == null || !customerKey.equals(body.path("customerKey").asString(null))) {
            return new Reply(404, error("NOT_FOUND_BILLING_KEY", "존재하지 않는 빌링키 입니다."));
        }
        String orderId = body.path("orderId").asString(null);
        long amount = body.path("amount").asLong(-1);
        if (orderId == null || amount <= 0) {
            return new Reply(400, error("INVALID_REQUEST", "orderId and a positive amount are required"));
        }
        if (customerKey.startsWith("test_decline_") || decliningBillingKeys.contains(billingKey)) {
            return new Reply(403, error("REJECT_CARD_PAYMENT", "한도초과 혹은 잔액부족으로 결제에 실패했습니다."));
        }
        return approve("bill_" + UUID.randomUUID().toString().replace("-", ""), orderId, amount);
    }

    private void control(HttpExchange exchange, String method, String path) throws IOException {
        switch (method + " " + path) {
            case "GET /__sim/stats" -> send(exchange, new Reply(200, stats()));
            case "GET /__sim/faults" -> send(exchange, new Reply(200, faults));
            case "PUT /__sim/faults" -> {
                try {
                    setFaults(json.treeToValue(readBody(exchange.getRequestBody()), SimulatorFaults.class));
                    send(exchange, new Reply(200, faults));
                } catch (RuntimeException e) {
                    send(exchange, new Reply(400, error("INVALID_REQUEST", e.getMessage())));
                }
            }
            case "PUT /__sim/billing" -> {
                JsonNode body = readBody(exchange.getRequestBody());
                setDecliningCharges(body.path("billingKey").asString(""), body.path("declining").asBoolean(false));
                send(exchange, new Reply(200, Map.of("billingKey", body.path("billingKey").asString(""),
                        "declining", body.path("declining").asBoolean(false))));
            }
            case "POST /__sim/billing/seed" -> {
                // benchmarks: N billing keys issued in one call ({prefix}{i} for customer {customerPrefix}{i})
                JsonNode body = readBody(exchange.getRequestBody());
                int count = body.path("count").asInt(0);
                String keyPrefix = body.path("billingKeyPrefix").asString("bk_seed_");
                String customerPrefix = body.path("customerKeyPrefix").asString("customer-");
                for (int i = 1; i <= count; i++) {
                    billingKeys.put(keyPrefix + i, customerPrefix + i);
                }
                send(exchange, new Reply(200, Map.of("seeded", count)));
            }
            case "PUT /__sim/payouts" -> {
                try {
                    JsonNode body = readBody(exchange.getRequestBody());
                    setPayoutFaults(body.path("failureRate").asDouble(0), body.path("asyncMs").asLong(0));
                    send(exchange, new Reply(200, payouts.faults));
                } catch (RuntimeException e) {
                    send(exchange, new Reply(400, error("INVALID_REQUEST", e.getMessage())));
                }
            }
            case "POST /__sim/reset" -> {
                reset();
                send(exchange, new Reply(200, stats()));
            }
            default -> send(exchange, new Reply(404, error("NOT_FOUND", path)));
        }
    }

    private Reply paymentReply(SimulatedPayment payment) {
        long vat = Math.round(payment.totalAmount / 11.0);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("paymentKey", payment.paymentKey);
        reply.put("orderId", payment.orderId);
        reply.put("status", payment.currentStatus());
        reply.put("method", payment.method);
        reply.put("totalAmount", payment.totalAmount);
        reply.put("balanceAmount", payment.balanceAmount());
        reply.put("suppliedAmount", payment.totalAmount - vat);
        reply.put("vat", vat);
        reply.put("approvedAt", payment.approvedAt == null ? null : payment.approvedAt.toString());
        reply.put("cancels", payment.cancels.stream().map(cancel -> Map.of(
                "transactionKey", cancel.transactionKey(),
                "cancelAmount", cancel.cancelAmount(),
                "cancelReason", cancel.cancelReason(),
                "canceledAt", cancel.canceledAt().toString())).toList());
        return new Reply(200, reply);
    }

    private static Reply notFound() {
        return new Reply(404, error("NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다."));
    }

    private static Map<String, String> error(String code, String message) {
        return Map.of("code", code, "message", message == null ? code : message);
    }

    private long latency(SimulatorFaults current) {
        if (current.latencyJitterMs() == 0) {
            return current.latencyMs();
        }
        return current.latencyMs() + Math.round(-Math.log(1 - draw()) * current.latencyJitterMs());
    }

    private double draw() {
        synchronized (random) {
            return random.nextDouble();
        }
    }

    private JsonNode readBody(InputStream body) throws IOException {
        byte[] bytes = body.readAllBytes();
        return bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
    }

    private void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = json.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Reply(int status, Object body, boolean replayed) {

        Reply(int status, Object body) {
            this(status, body, false);
        }
    }
}
