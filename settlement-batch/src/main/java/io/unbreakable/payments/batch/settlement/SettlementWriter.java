package io.unbreakable.payments.batch.settlement;

import io.unbreakable.payments.ledger.Account;
import io.unbreakable.payments.ledger.LedgerPosting;
import io.unbreakable.payments.ledger.LedgerService;
import java.time.LocalDate;
import java.util.List;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Writes one chunk of settlements in the chunk's transaction: the settlement rows (which take their
 * staged lines by merchant and date), their payouts and one balanced ledger transaction per merchant and date, each as one statement for
 * the whole chunk. A chunk lands whole or not at all, so a run killed at any point resumes with the
 * merchants it had not finished. The wallets move last (see {@link LedgerService#postAll}), so
 * payments of the same sellers wait for them only for the length of a commit. Once the chunk has
 * committed, its payout reports are written in the background ({@link BackgroundPayoutReports}).
 */
class SettlementWriter implements ItemWriter<SettlementDraft> {

    static final String SETTLEMENT = "SETTLEMENT";

    private final SettlementRepository settlements;
    private final LedgerService ledger;
    private final BackgroundPayoutReports reports;
    private final LocalDate salesDate;
    private final Pacing pacing;

    SettlementWriter(SettlementRepository settlements, LedgerService ledger, BackgroundPayoutReports reports, LocalDate salesDate,
            Pacing pacing) {
        this.settlements = settlements;
        this.ledger = ledger;
        this.reports = reports;
        this.salesDate = salesDate;
        this.pacing = pacing;
    }

    @Override
    public void write(Chunk<? extends SettlementDraft> chunk) {
        pacing.pauseAfterTransaction();
        List<SettlementDraft> drafts = List.copyOf(chunk.getItems());
        List<Long> payoutIds = settlements.insertPayouts(settlements.insertSettlements(salesDate, drafts));
        ledger.postAll(drafts.stream().map(this::posting).flatMap(java.util.Optional::stream).toList());
        reports.afterCommit(payoutIds);
    }

    /**
     * The seller's payable (its wallet, credited in full at each approval) gives up the fee, the VAT
     * on it, the withholding and the payout; what remains there is the balance carried forward.
     */
    private java.util.Optional<LedgerPosting> posting(SettlementDraft draft) {
        SettlementFigures figures = draft.figures();
        long merchantId = draft.input().merchantId();
        long fromSeller = figures.fee() + figures.feeVat() + figures.withholding() + figures.payoutAmount();
        LedgerPosting.Builder posting = LedgerPosting.of(SETTLEMENT, merchantId + ":" + salesDate)
                .description("D+1 settlement of " + salesDate + ", payout " + draft.payoutDate())
                .signedDebit(Account.sellerPayable(merchantId), fromSeller)
                .signedCredit(Account.Platform.PLATFORM_FEE_REVENUE, figures.fee())
                .signedCredit(Account.Platform.VAT_PAYABLE, figures.feeVat())
                .credit(Account.Platform.WITHHOLDING_PAYABLE, figures.withholding())
                .credit(Account.Platform.PAYOUT_CLEARING, figures.payoutAmount());
        return posting.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(posting.build());
    }
}
