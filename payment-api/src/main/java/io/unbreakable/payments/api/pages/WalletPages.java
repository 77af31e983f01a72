package io.unbreakable.payments.api.pages;

import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.ledger.Wallet;
import java.util.List;
import org.springframework.stereotype.Component;

/** A merchant's wallet as finance and the merchant see it: the balance and the ledger entries that moved it. */
@Component
public class WalletPages {

    static final int ENTRIES_SHOWN = 50;

    private final LedgerService ledger;
    private final PagesRepository pages;

    WalletPages(LedgerService ledger, PagesRepository pages) {
        this.ledger = ledger;
        this.pages = pages;
    }

    /** The balance and the movements before an entry id (newest first); {@code olderBefore} pages further back. */
    public WalletView wallet(long merchantId, Long beforeEntryId) {
        Wallet wallet = ledger.wallet(merchantId);
        List<PagesRepository.WalletEntryRow> entries = pages.walletHistory(merchantId, beforeEntryId, ENTRIES_SHOWN);
        Long olderBefore = entries.size() < ENTRIES_SHOWN ? null : entries.get(entries.size() - 1).entryId();
        return new WalletView(wallet, entries, olderBefore);
    }

    public record WalletView(Wallet wallet, List<PagesRepository.WalletEntryRow> entries, Long olderBefore) {
    }
}
