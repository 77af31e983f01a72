package io.unbreakable.payments.batch.payout;

import io.unbreakable.payments.payout.PayoutGatewayType;
import io.unbreakable.payments.payout.PayoutLifecycle;
import io.unbreakable.payments.payout.PayoutMove;
import io.unbreakable.payments.payout.PayoutStatus;
import io.unbreakable.payments.payout.PayoutTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends payouts and applies what the provider says, in three commits per chunk: claim (each payout
 * REQUESTED with its ledger posting, or HELD with its reason), the calls ({@code concurrency} at once,
 * outside any transaction), the results (PAID, FAILED back to the wallet, UNKNOWN). A crash between
 * claim and result leaves REQUESTED payouts, which the next run asks the PG about before anything new
 * ({@link #resolveOpen}): found, it applies the answer; never received, it sends the same reference again
 * with the same Idempotency-Key. Nothing is sent twice under two keys, so nothing is paid twice.
 */
class PayoutSender {

    private static final Logger log = LoggerFactory.getLogger(PayoutSender.class);

    private final PayoutRepository payouts;
    private final PayoutLifecycle lifecycle;
    private final TransactionTemplate tx;
    private final PgPayoutClient pg;
    private final ExecutorService calls;
    private final PayoutProperties properties;

    PayoutSender(PayoutRepository payouts, PayoutLifecycle lifecycle, TransactionTemplate tx, PgPayoutClient pg, ExecutorService calls,
            PayoutProperties properties) {
        this.payouts = payouts;
        this.lifecycle = lifecycle;
        this.tx = tx;
        this.pg = pg;
        this.calls = calls;
        this.properties = properties;
    }

    /**
     * Sends due payouts through {@code gateway} (for the bank file: marks them REQUESTED into
     * {@code transferFile}); what happened to them, counted by outcome.
     */
    Map<String, Long> send(List<Long> dueIds, PayoutGatewayType gateway, String transferFile) {
        Map<String, Long> outcomes = new TreeMap<>();
        checkHolders(dueIds);
        List<PayoutMove> claimed = tx.execute(status -> lifecycle.transition(claims(dueIds, gateway, transferFile, outcomes)));
        List<Long> requested = claimed.stream().filter(move -> move.to() == PayoutStatus.REQUESTED).map(PayoutMove::payoutId).toList();
        claimed.stream().filter(move -> move.to() == PayoutStatus.HELD)
                .forEach(move -> outcomes.merge("held:" + move.reason(), 1L, Long::sum));
        if (gateway == PayoutGatewayType.BANK_FILE) {
            outcomes.merge("requested", (long) requested.size(), Long::sum);
            return outcomes;
        }
        List<PayoutOrder> orders = payouts.orders(requested);
        apply(orders, parallel(orders, order -> pg.request(order, properties.memo())), outcomes);
        return outcomes;
    }

    /** Asks the PG about every payout sent and not settled: applies its answer, or sends again what it never received. */
    Map<String, Long> resolveOpen() {
        Map<String, Long> outcomes = new TreeMap<>();
        List<PayoutOrder> orders = payouts.orders(payouts.open(PayoutGatewayType.PG));
        List<PayoutAnswer> answers = parallel(orders, order -> {
            PayoutAnswer answer = pg.inquire(order.reference());
            return answer instanceof PayoutAnswer.NotFound ? pg.request(order, properties.memo()) : answer;
        });
        apply(orders, answers, outcomes);
        return outcomes;
    }

    int openCount() {
        return payouts.open(PayoutGatewayType.PG).size();
    }

    /**
     * The account holder check (예금주 조회) of every merchant among these payouts whose current account was not
     * checked yet; a holder check that gets no answer leaves the account unchecked (its payouts wait for the next run).
     */
    private void checkHolders(List<Long> dueIds) {
        List<PayoutRepository.AccountToCheck> accounts = payouts.accountsToCheck(dueIds);
        List<PgPayoutClient.HolderCheck> results = parallel(accounts,
                account -> pg.checkHolder(account.bankCode(), account.accountNumber(), account.holderName()));
        // committed before the claim reads them (the claim runs in its own transaction)
        tx.executeWithoutResult(status -> {
            for (int i = 0; i < accounts.size(); i++) {
                PayoutRepository.AccountToCheck account = accounts.get(i);
                switch (results.get(i)) {
                    case MATCHED -> payouts.recordAccountCheck(account.merchantId(), account.stored(), "VERIFIED");
                    case MISMATCH -> {
                        log.warn("merchant {}: the payout account's holder does not match ({}); its payouts are held",
                                account.merchantId(), account.bankCode());
                        payouts.recordAccountCheck(account.merchantId(), account.stored(), "MISMATCH");
                    }
                    case NO_ANSWER -> log.warn("merchant {}: no answer to the account holder check; its payouts wait for the next run",
                            account.merchantId());
                }
            }
        });
    }

    private List<PayoutTransition> claims(List<Long> dueIds, PayoutGatewayType gateway, String transferFile, Map<String, Long> outcomes) {
        List<PayoutTransition> claims = new ArrayList<>();
        for (PayoutRepository.Candidate candidate : payouts.candidates(dueIds)) {
            long id = candidate.payoutId();
            if (!candidate.hasAccount()) {
                claims.add(PayoutTransition.hold(id, "NO_PAYOUT_ACCOUNT", "지급 계좌가 없습니다: 계좌를 등록한 뒤 보류를 해제하세요"));
            } else if (candidate.accountCheck().equals("MISMATCH")) {
                claims.add(PayoutTransition.hold(id, "HOLDER_MISMATCH", "예금주가 일치하지 않습니다: 계좌를 고친 뒤 보류를 해제하세요"));
            } else if (candidate.accountCheck().equals("UNVERIFIED")) {
                outcomes.merge("waiting-for-holder-check", 1L, Long::sum);
            } else if (candidate.walletBalance() < 0) {
                // a refund after settlement left the wallet short: the next settlement nets it before money goes out
                claims.add(PayoutTransition.hold(id, "NEGATIVE_WALLET", "지갑 잔액 " + candidate.walletBalance()
                        + "원: 다음 정산에서 상계한 뒤 보류를 해제하세요"));
            } else {
                claims.add(PayoutTransition.request(id, gateway, transferFile));
            }
        }
        return claims;
    }

    /** One commit for the chunk's results; a payout moved by someone else meanwhile is left as it is. */
    private void apply(List<PayoutOrder> orders, List<PayoutAnswer> answers, Map<String, Long> outcomes) {
        List<PayoutTransition> results = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++) {
            long payoutId = orders.get(i).payoutId();
            PayoutAnswer answer = answers.get(i);
            if (answer instanceof PayoutAnswer.Paid) {
                results.add(PayoutTransition.paid(payoutId));
                outcomes.merge("paid", 1L, Long::sum);
            } else if (answer instanceof PayoutAnswer.Failed failed) {
                results.add(PayoutTransition.failed(payoutId, failed.code(), failed.message()));
                outcomes.merge("failed:" + failed.code(), 1L, Long::sum);
            } else if (answer instanceof PayoutAnswer.NoAnswer noAnswer) {
                results.add(PayoutTransition.unknown(payoutId, noAnswer.why()));
                outcomes.merge("unknown", 1L, Long::sum);
            } else {
                outcomes.merge("pending", 1L, Long::sum); // accepted, the result comes later: asked again
            }
        }
        tx.executeWithoutResult(status -> lifecycle.transition(results));
    }

    /** Calls {@code call} for every item, at most {@code concurrency} at once; answers in the items' order. */
    private <T, R> List<R> parallel(List<T> items, Function<T, R> call) {
        List<Future<R>> futures = items.stream().map(item -> calls.submit(() -> call.apply(item))).toList();
        List<R> results = new ArrayList<>(futures.size());
        try {
            for (Future<R> future : futures) {
                results.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(future -> future.cancel(true));
            throw new IllegalStateException("interrupted while waiting for payout calls", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a payout call failed", e.getCause());
        }
        return results;
    }
}
