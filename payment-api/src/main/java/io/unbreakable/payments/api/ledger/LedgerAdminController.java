package io.unbreakable.payments.api.ledger;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.ledger.TrialBalance;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Admin: ledger", description = "Finance: Authorization: Bearer <PAYMENT_ADMIN_TOKEN>")
class LedgerAdminController {

    private final LedgerService ledger;

    LedgerAdminController(LedgerService ledger) {
        this.ledger = ledger;
    }

    @GetMapping("/v1/admin/ledger/trial-balance")
    @Operation(operationId = "getTrialBalance", summary = "Sum of all debits and credits in the ledger; balanced is always true")
    TrialBalanceResponse trialBalance() {
        TrialBalance balance = ledger.trialBalance();
        return new TrialBalanceResponse(balance.debitTotal(), balance.creditTotal(), balance.balanced());
    }

    record TrialBalanceResponse(long debitTotal, long creditTotal, boolean balanced) {
    }
}
