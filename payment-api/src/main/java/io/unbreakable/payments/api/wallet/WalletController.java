package io.unbreakable.payments.api.wallet;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.unbreakable.payments.time.Seoul;
import io.unbreakable.payments.api.merchant.AuthenticatedMerchant;
import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.ledger.Wallet;
import java.time.OffsetDateTime;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Wallet")
class WalletController {

    private final LedgerService ledger;

    WalletController(LedgerService ledger) {
        this.ledger = ledger;
    }

    @GetMapping("/v1/wallet")
    @Operation(operationId = "getWallet", summary = "The calling merchant's wallet: what the platform owes it now (may be negative)")
    WalletResponse wallet(AuthenticatedMerchant merchant) {
        Wallet wallet = ledger.wallet(merchant.merchantId());
        return new WalletResponse(wallet.merchantId(), wallet.balance(), "KRW", Seoul.time(wallet.updatedAt()));
    }

    record WalletResponse(long merchantId, long balance, String currency, OffsetDateTime updatedAt) {
    }
}
