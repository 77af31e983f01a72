package io.unbreakable.payments.subscription;

/** A billing key charges a card without the customer: shown whole once, at issue, masked everywhere after. */
public final class BillingKeys {

    private BillingKeys() {
    }

    public static String mask(String billingKey) {
        if (billingKey == null || billingKey.length() <= 10) {
            return "****";
        }
        return billingKey.substring(0, 6) + "****" + billingKey.substring(billingKey.length() - 4);
    }
}
