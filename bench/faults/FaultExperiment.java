// Load driver and checker for the PG fault experiments (bench/faults/run.sh runs it; Java 21+, no dependencies).
//
//   java FaultExperiment.java load    (settings from the environment, see run.sh)
//   java FaultExperiment.java check   <keys.csv> <db.csv> <pgUrl,pgUrl,...> <providerName,providerName,...>
//
// load: CLIENTS closed-loop workers confirm pre-created orders bench-<n> (n from ORDER_FIRST to ORDER_LAST)
// with paymentKey <KEY_PREFIX><n> for BASELINE_S seconds, then with the faults applied to the PG
// simulators for FAULT_S seconds, then with the faults cleared for AFTER_S seconds. A 503 (no PG can
// take the payment, nothing written) is retried by the same worker with the same order, as a client
// would; every other answer moves it to the next order. Meanwhile a prober reads /actuator/health (on the
// management port, MGMT) and GET /v1/wallet every 250 ms. Prints one RESULT line per phase and per probe, and writes every
// paymentKey sent with its last HTTP status to KEYS_OUT.
//
// check: for every paymentKey sent, asks every PG (GET /v1/payments/{key}) and compares with our rows
// (db.csv: payment_key,status,pg_provider): lost = approved at a PG but not approved here at that PG;
// double = approved at two PGs; phantom = approved here but at no PG; open = UNKNOWN/IN_PROGRESS left.
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

public class FaultExperiment {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final String NO_FAULTS = "{\"latencyMs\":0,\"latencyJitterMs\":0,\"errorRate\":0,\"timeoutRate\":0,\"hangMs\":30000,\"outages\":[]}";

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("check")) {
            check(Path.of(args[1]), Path.of(args[2]), args[3].split(","), args[4].split(","));
        } else {
            load();
        }
    }

    // ------------------------------------------------------------------------------------------- load

    /** One phase's answers: status counts and latencies in microseconds. */
    static final class Phase {
        final String name;
        final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        final List<Long> latenciesMicros = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicLong errors = new AtomicLong();
        volatile long startedNanos;
        volatile long endedNanos;

        Phase(String name) {
            this.name = name;
        }

        void record(int status, long micros) {
            statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            latenciesMicros.add(micros);
        }

        long count(int status) {
            AtomicLong n = statuses.get(status);
            return n == null ? 0 : n.get();
        }

        String result(String what) {
            long[] sorted;
            synchronized (latenciesMicros) {
                sorted = latenciesMicros.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            long total = sorted.length;
            double seconds = Math.max(1e-9, (endedNanos - startedNanos) / 1e9);
            StringBuilder others = new StringBuilder();
            statuses.forEach((status, n) -> {
                if (status != 200 && status != 202 && status != 503) {
                    others.append(" status").append(status).append('=').append(n.get());
                }
            });
            return String.format("RESULT %s phase=%s requests=%d seconds=%.1f rps=%.1f ok200=%d accepted202=%d unavailable503=%d"
                            + " errors=%d success=%.2f p50=%.1f p99=%.1f max=%.1f%s",
                    what, name, total, seconds, total / seconds, count(200), count(202), count(503), errors.get(),
                    total == 0 ? 0.0 : 100.0 * count(200) / total, pct(sorted, 50), pct(sorted, 99),
                    sorted.length == 0 ? 0.0 : sorted[sorted.length - 1] / 1000.0, others);
        }

        static double pct(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
        }
    }

    static volatile Phase confirms;
    static volatile Phase probes;
    static volatile boolean running = true;

    static void load() throws Exception {
        String api = env("API", "http://127.0.0.1:18080");
        String management = env("MGMT", "http://127.0.0.1:18081");
        String auth = "Basic " + env("AUTH", "");
        int clients = Integer.parseInt(env("CLIENTS", "16"));
        int first = Integer.parseInt(env("ORDER_FIRST", "1"));
        int last = Integer.parseInt(env("ORDER_LAST", "100000"));
        String keyPrefix = env("KEY_PREFIX", "pk_");
        long amount = Long.parseLong(env("AMOUNT", "10000"));
        String[] pgs = env("PG_URLS", "").split(",");
        String[] faults = env("FAULTS", NO_FAULTS).split("\\|"); // one JSON per PG, in PG_URLS order
        Path keysOut = Path.of(env("KEYS_OUT", "keys.csv"));
        int baseline = Integer.parseInt(env("BASELINE_S", "10"));
        int fault = Integer.parseInt(env("FAULT_S", "60"));
        int after = Integer.parseInt(env("AFTER_S", "20"));

        AtomicInteger next = new AtomicInteger(first);
        Map<String, Integer> lastStatus = new ConcurrentHashMap<>();
        AtomicLong exhausted = new AtomicLong();
        Phase[] phases = {new Phase("baseline"), new Phase("fault"), new Phase("after")};
        Phase[] probePhases = {new Phase("baseline"), new Phase("fault"), new Phase("after")};
        confirms = phases[0];
        probes = probePhases[0];
        phases[0].startedNanos = probePhases[0].startedNanos = System.nanoTime();

        ExecutorService workers = Executors.newFixedThreadPool(clients + 1);
        for (int c = 0; c < clients; c++) {
            workers.submit(() -> {
                int n = next.getAndIncrement();
                while (running) {
                    if (n > last) {
                        exhausted.incrementAndGet();
                        return;
                    }
                    String key = keyPrefix + n;
                    String body = String.format("{\"paymentKey\":\"%s\",\"orderId\":\"bench-%07d\",\"amount\":%d}", key, n, amount);
                    Phase phase = confirms;
                    long started = System.nanoTime();
                    int status;
                    try {
                        status = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/payments/confirm"))
                                .header("Authorization", auth).header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (IOException | InterruptedException e) {
                        phase.errors.incrementAndGet();
                        status = -1;
                    }
                    phase.record(status, (System.nanoTime() - started) / 1000);
                    lastStatus.put(key, status);
                    if (status != 503 && status != -1) {
                        n = next.getAndIncrement();
                    }
                }
            });
        }
        workers.submit(() -> {
            while (running) {
                Phase phase = probes;
                for (String url : List.of(management + "/actuator/health", api + "/v1/wallet")) {
                    long started = System.nanoTime();
                    try {
                        int status = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
                                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                        phase.record(status, (System.nanoTime() - started) / 1000);
                    } catch (IOException | InterruptedException e) {
                        phase.errors.incrementAndGet();
                    }
                }
                sleep(250);
            }
        });

        sleep(baseline * 1000L);
        switchTo(phases[1], probePhases[1]);
        for (int i = 0; i < pgs.length && !pgs[i].isBlank(); i++) {
            setFaults(pgs[i], faults[Math.min(i, faults.length - 1)]);
        }
        sleep(fault * 1000L);
        for (String pg : pgs) {
            if (!pg.isBlank()) {
                setFaults(pg, NO_FAULTS);
            }
        }
        switchTo(phases[2], probePhases[2]);
        sleep(after * 1000L);
        running = false;
        phases[2].endedNanos = probePhases[2].endedNanos = System.nanoTime();
        workers.shutdown();
        workers.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);

        for (Phase phase : phases) {
            System.out.println(phase.result("confirm"));
        }
        for (Phase phase : probePhases) {
            System.out.println(phase.result("probe"));
        }
        System.out.println("RESULT orders used=" + (next.get() - first) + " exhausted_workers=" + exhausted.get());
        StringBuilder csv = new StringBuilder();
        lastStatus.forEach((key, status) -> csv.append(key).append(',').append(status).append('\n'));
        Files.writeString(keysOut, csv);
    }

    static void switchTo(Phase confirmPhase, Phase probePhase) {
        long now = System.nanoTime();
        confirms.endedNanos = now;
        probes.endedNanos = now;
        confirmPhase.startedNanos = now;
        probePhase.startedNanos = now;
        confirms = confirmPhase;
        probes = probePhase;
    }

    static void setFaults(String pg, String json) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(pg + "/__sim/faults"))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.err.println("faults of " + pg + " now " + response.body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not set the faults of " + pg, e);
        }
    }

    // ------------------------------------------------------------------------------------------ check

    static void check(Path keysCsv, Path dbCsv, String[] pgs, String[] names) throws Exception {
        List<String> keys = Files.readAllLines(keysCsv).stream().filter(line -> !line.isBlank())
                .map(line -> line.substring(0, line.indexOf(','))).toList();
        Map<String, String[]> ours = new HashMap<>(); // key -> {status, provider}
        for (String line : Files.readAllLines(dbCsv)) {
            String[] fields = line.split(",");
            if (fields.length == 3) {
                ours.put(fields[0], new String[] {fields[1], fields[2]});
            }
        }
        String pgAuth = "Basic " + Base64.getEncoder().encodeToString("test_gsk_simulator:".getBytes(StandardCharsets.UTF_8));
        AtomicLong lost = new AtomicLong();
        AtomicLong doubled = new AtomicLong();
        AtomicLong phantom = new AtomicLong();
        AtomicLong approved = new AtomicLong();
        List<String> examples = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (String key : keys) {
            pool.submit(() -> {
                List<String> approvedAt = new ArrayList<>();
                for (int i = 0; i < pgs.length; i++) {
                    try {
                        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(pgs[i] + "/v1/payments/" + key))
                                .header("Authorization", pgAuth).timeout(Duration.ofSeconds(30)).GET().build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() == 200 && !answer.body().contains("\"status\":\"ABORTED\"")) {
                            approvedAt.add(names[i]);
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException("could not ask " + pgs[i] + " about " + key, e);
                    }
                }
                String[] row = ours.get(key);
                boolean approvedHere = row != null && Arrays.asList("DONE", "PARTIAL_CANCELED", "CANCELED").contains(row[0]);
                if (approvedAt.size() > 1) {
                    doubled.incrementAndGet();
                    examples.add("double " + key + " " + approvedAt);
                }
                if (approvedAt.size() == 1) {
                    approved.incrementAndGet();
                    if (!approvedHere || !row[1].equals(approvedAt.get(0))) {
                        lost.incrementAndGet();
                        examples.add("lost " + key + " approved at " + approvedAt + ", here " + (row == null ? "no row" : Arrays.toString(row)));
                    }
                }
                if (approvedAt.isEmpty() && approvedHere) {
                    phantom.incrementAndGet();
                    examples.add("phantom " + key + " here " + Arrays.toString(row));
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
        long open = ours.values().stream().filter(row -> row[0].equals("UNKNOWN") || row[0].equals("IN_PROGRESS")).count();
        Map<String, Long> byStatus = new java.util.TreeMap<>();
        ours.values().forEach(row -> byStatus.merge(row[0] + "@" + row[1], 1L, Long::sum));
        examples.stream().limit(10).forEach(System.err::println);
        System.out.println("RESULT check keys=" + keys.size() + " pg_approved=" + approved.get() + " lost=" + lost.get()
                + " double=" + doubled.get() + " phantom=" + phantom.get() + " open=" + open + " rows=" + byStatus);
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
