package io.unbreakable.payments.batch.payout;

/** What the payout provider said about one payout. */
sealed interface PayoutAnswer {

    /** The money reached the seller's bank (Toss: COMPLETED). */
    record Paid() implements PayoutAnswer {
    }

    /** Refused or bounced, with the provider's code (CLOSED_ACCOUNT, INVALID_ACCOUNT_HOLDER, BANK_MAINTENANCE, ...). */
    record Failed(String code, String message) implements PayoutAnswer {
    }

    /** Accepted, result to come (Toss: REQUESTED / IN_PROGRESS): asked again later. */
    record Pending() implements PayoutAnswer {
    }

    /** An inquiry: the provider never received this reference (safe to send it, with the same key). */
    record NotFound() implements PayoutAnswer {
    }

    /** No readable answer (timeout, connection lost, 5xx): the payout is UNKNOWN until an inquiry says. */
    record NoAnswer(String why) implements PayoutAnswer {
    }
}
