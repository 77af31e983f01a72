package io.unbreakable.payments.api.merchant;

/** The merchant whose secret key signed the request; every merchant query is scoped by it. */
public record AuthenticatedMerchant(long merchantId) {
}
