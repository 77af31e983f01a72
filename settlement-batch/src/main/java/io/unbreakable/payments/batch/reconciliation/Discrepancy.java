package io.unbreakable.payments.batch.reconciliation;

/** One thing that does not add up; the job reports it and never "fixes" money. */
record Discrepancy(String kind, String reference, Long expectedAmount, Long actualAmount, String detail) {
}
