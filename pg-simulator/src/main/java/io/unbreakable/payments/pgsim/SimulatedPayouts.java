package io.unbreakable.payments.pgsim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's payouts service (지급대행), Toss-style: a payout is requested once per
 * {@code refPayoutId} (a second request with the same reference answers the first record: it never
 * pays twice), completes or fails at once or, with {@code asyncMs}, after that long (the request
 * answers REQUESTED and an inquiry tells the result), and an account holder check answers whether the
 * holder name matches.
 *
 * <p>Sandbox conventions by account number: {@code 999…} is a closed account, {@code 998…} belongs to
 * somebody else (the holder check and the transfer fail), {@code 997…} is at a bank in maintenance,
 * {@code 996…} gets no answer to its first request (a retry or an inquiry finds it paid). Besides those,
 * {@link PayoutFaults#failureRate} of the references fail with one of the three, picked by a hash of
 * the seed and the reference, so the same reference always meets the same fate, run after run.
 */
final class SimulatedPayouts {

    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final String[][] FAILURES = {
        {"CLOSED_ACCOUNT", "해지된 계좌입니다."},
        {"INVALID_ACCOUNT_HOLDER", "예금주가 일치하지 않습니다."},
        {"BANK_MAINTENANCE", "은행 점검 시간입니다. 잠시 후 다시 시도해 주세요."},
    };

    /** Seeded payout faults, changeable at run time ({@code PUT /__sim/payouts}). */
    record PayoutFaults(double failureRate, long asyncMs) {

        static final PayoutFaults NONE = new PayoutFaults(0, 0);

        PayoutFaults {
            if (failureRate < 0 || failureRate > 1 || asyncMs < 0) {
                throw new IllegalArgumentException("failureRate must be between 0 and 1, asyncMs >= 0");
            }
        }
    }

    record Payout(String payoutId, String refPayoutId, long amount, String bankCode, Instant requestedAt, Instant settlesAt,
            String failureCode, String failureMessage) {

        String status(Instant now) {
            if (now.isBefore(settlesAt)) {
                return "REQUESTED";
            }
            return failureCode == null ? "COMPLETED" : "FAILED";
        }
    }

    private final long seed;
    private final Clock clock;
    private final Map<String, Payout> byReference = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong holderChecks = new AtomicLong();
    volatile PayoutFaults faults = PayoutFaults.NONE;

    SimulatedPayouts(long seed, Clock clock) {
        this.seed = seed;
        this.clock = clock;
    }

    /** The record for this reference: the existing one (replayed = true), or a new one decided now. */
    synchronized Map.Entry<Payout, Boolean> request(String refPayoutId, long amount, String bankCode, String accountNumber) {
        requests.incrementAndGet();
        Payout existing = byReference.get(refPayoutId);
        if (existing != null) {
            return Map.entry(existing, true);
        }
        String[] failure = failure(refPayoutId, accountNumber);
        Instant now = clock.instant();
        Payout payout = new Payout("po_" + sequence.incrementAndGet(), refPayoutId, amount, bankCode, now,
                now.plusMillis(faults.asyncMs()), failure == null ? null : failure[0], failure == null ? null : failure[1]);
        byReference.put(refPayoutId, payout);
        return Map.entry(payout, false);
    }

    Payout find(String refPayoutId) {
        return byReference.get(refPayoutId);
    }

    boolean holderMatches(String accountNumber) {
        holderChecks.incrementAndGet();
        return !accountNumber.startsWith("998");
    }

    private String[] failure(String refPayoutId, String accountNumber) {
        if (accountNumber.startsWith("999")) {
            return FAILURES[0];
        }
        if (accountNumber.startsWith("998")) {
            return FAILURES[1];
        }
        if (accountNumber.startsWith("997")) {
            return FAILURES[2];
        }
        long hash = hash(refPayoutId);
        double draw = (hash >>> 11) / (double) (1L << 53);
        return draw < faults.failureRate() ? FAILURES[(int) Math.floorMod(hash, FAILURES.length)] : null;
    }

    private long hash(String refPayoutId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((seed + ":" + refPayoutId).getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = value << 8 | (digest[i] & 0xff);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, Object> reply(Payout payout) {
        Instant now = clock.instant();
        String status = payout.status(now);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("payoutId", payout.payoutId());
        reply.put("refPayoutId", payout.refPayoutId());
        reply.put("status", status);
        reply.put("amount", payout.amount());
        reply.put("bankCode", payout.bankCode());
        reply.put("requestedAt", payout.requestedAt().atZone(SEOUL).toOffsetDateTime().toString());
        reply.put("completedAt", status.equals("REQUESTED") ? null : payout.settlesAt().atZone(SEOUL).toOffsetDateTime().toString());
        reply.put("error", status.equals("FAILED") ? Map.of("code", payout.failureCode(), "message", payout.failureMessage()) : null);
        return reply;
    }

    /** Payouts completed (paid) so far, by our payout: the reference up to its last '-' (payout-17-2 → payout-17). */
    Map<String, Long> completedByPayout() {
        Instant now = clock.instant();
        Map<String, Long> counts = new ConcurrentHashMap<>();
        byReference.values().stream().filter(p -> p.status(now).equals("COMPLETED")).forEach(p -> {
            int dash = p.refPayoutId().lastIndexOf('-');
            counts.merge(dash > 0 ? p.refPayoutId().substring(0, dash) : p.refPayoutId(), 1L, Long::sum);
        });
        return counts;
    }

    Map<String, Long> stats() {
        Map<String, Long> stats = new LinkedHashMap<>();
        Map<String, Long> completed = completedByPayout();
        Instant now = clock.instant();
        stats.put("payoutRequests", requests.get());
        stats.put("payoutHolderChecks", holderChecks.get());
        stats.put("payoutsCompleted", completed.values().stream().mapToLong(Long::longValue).sum());
        stats.put("payoutsCompletedWon", byReference.values().stream().filter(p -> p.status(now).equals("COMPLETED"))
                .mapToLong(Payout::amount).sum());
        stats.put("payoutsFailed", byReference.values().stream().filter(p -> p.status(now).equals("FAILED")).count());
        stats.put("payoutsPaidTwice", completed.values().stream().filter(count -> count > 1).count());
        return stats;
    }

    void reset() {
        byReference.clear();
        requests.set(0);
        holderChecks.set(0);
        faults = PayoutFaults.NONE;
    }
}
