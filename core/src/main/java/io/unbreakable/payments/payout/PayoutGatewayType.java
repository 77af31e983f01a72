package io.unbreakable.payments.payout;

/** How a payout was sent: through the PG's payouts API, or in a bank transfer file (대량이체). */
public enum PayoutGatewayType {
    PG,
    BANK_FILE
}
