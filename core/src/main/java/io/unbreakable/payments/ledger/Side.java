package io.unbreakable.payments.ledger;

public enum Side {
    DEBIT("D"),
    CREDIT("C");

    final String code;

    Side(String code) {
        this.code = code;
    }
}
