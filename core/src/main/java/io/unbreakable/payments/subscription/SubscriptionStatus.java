package io.unbreakable.payments.subscription;

/**
 * ACTIVE → PAST_DUE (a renewal failed, retries pending) → ACTIVE again on a successful retry, or
 * SUSPENDED after the third failed retry; CANCELED by the merchant.
 */
public enum SubscriptionStatus {
    ACTIVE, PAST_DUE, SUSPENDED, CANCELED
}
