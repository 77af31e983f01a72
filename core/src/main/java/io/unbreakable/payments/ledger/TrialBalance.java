package io.unbreakable.payments.ledger;

public record TrialBalance(long debitTotal, long creditTotal) {

    public boolean balanced() {
        return debitTotal == creditTotal;
    }
}
