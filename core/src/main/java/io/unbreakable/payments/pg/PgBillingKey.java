package io.unbreakable.payments.pg;

/** A billing key as the PG issues it. cardNumber comes masked from the PG; no card data is kept beyond it. */
public record PgBillingKey(String billingKey, String customerKey, String cardCompany, String cardNumber) {
}
