package io.unbreakable.payments.api.payout;

import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.common.ErrorCode;
import io.unbreakable.payments.audit.AuditTrail;
import io.unbreakable.payments.payout.BankTransferFiles;
import io.unbreakable.payments.payout.Payout;
import io.unbreakable.payments.payout.PayoutLifecycle;
import io.unbreakable.payments.payout.PayoutTransition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Finance's hand on payouts (the admin API and the console share it): list with totals, hold, release,
 * and retry after an account fix. Each change goes through {@link PayoutLifecycle} with its audit row in
 * the same transaction; a payout not in a status the change starts from is a 409 and nothing changes.
 */
@Service
public class PayoutService {

    /** A page of payouts is bounded; filter by date or status to see the rest. */
    public static final int LIST_LIMIT = 500;

    private final PayoutRepository payouts;
    private final PayoutLifecycle lifecycle;
    private final AuditTrail audit;
    private final BankTransferFiles transferFiles;
    private final String memo;

    PayoutService(PayoutRepository payouts, PayoutLifecycle lifecycle, AuditTrail audit, BankTransferFiles transferFiles,
            @Value("${payments.payout.memo:UP정산}") String memo) {
        this.payouts = payouts;
        this.lifecycle = lifecycle;
        this.audit = audit;
        this.transferFiles = transferFiles;
        this.memo = memo;
    }

    /** The bank transfer files written so far, newest first. */
    public List<String> transferFiles() {
        return transferFiles.names(30);
    }

    /** A transfer file's content, the bytes the batch wrote; whole account numbers, so who downloaded it is audited. */
    @Transactional
    public String transferFile(String fileName) {
        String content = transferFiles.content(fileName, memo)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no transfer file " + fileName));
        audit.record("PAYOUT_TRANSFER_FILE_DOWNLOADED", "TRANSFER_FILE", fileName, null, Map.of("bytes", content.length()));
        return content;
    }

    public List<Payout> find(PayoutFilter filter) {
        return payouts.find(filter, LIST_LIMIT);
    }

    /** A merchant's latest payouts, newest payout date first (the portal). */
    public List<Payout> latest(long merchantId, int limit) {
        return payouts.find(PayoutFilter.ofMerchant(merchantId), limit);
    }

    public PayoutTotals totals(PayoutFilter filter) {
        return payouts.totals(filter);
    }

    /** One payout; with a merchant, only if it is that merchant's (another's is not found). */
    public Payout get(long payoutId, Long merchantId) {
        return payouts.findById(payoutId, merchantId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no payout " + payoutId));
    }

    @Transactional
    public Payout hold(long payoutId, String reason) {
        return change(payoutId, PayoutTransition.hold(payoutId, "FINANCE_HOLD", reason), "PAYOUT_HELD");
    }

    @Transactional
    public Payout release(long payoutId, String reason) {
        return change(payoutId, PayoutTransition.release(payoutId, reason), "PAYOUT_RELEASED");
    }

    /** A FAILED payout scheduled again (its amount leaves the wallet for clearing): the next payout run sends it. */
    @Transactional
    public Payout retry(long payoutId, String reason) {
        return change(payoutId, PayoutTransition.retry(payoutId, reason), "PAYOUT_RETRIED");
    }

    private Payout change(long payoutId, PayoutTransition transition, String action) {
        Payout before = get(payoutId, null);
        if (lifecycle.transition(transition).isEmpty()) {
            throw new ApiException(ErrorCode.NOT_CHANGEABLE_PAYOUT, "payout " + payoutId + " is " + before.status()
                    + ": only a payout that is " + transition.to().reachableFrom() + " can become " + transition.to());
        }
        Payout after = get(payoutId, null);
        audit.record(action, "PAYOUT", payoutId, audited(before), audited(after));
        return after;
    }

    private static Map<String, Object> audited(Payout payout) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", payout.status().name());
        state.put("reason", payout.reason());
        state.put("message", payout.message());
        state.put("amount", payout.amount());
        return state;
    }
}
