package io.unbreakable.payments.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * One balanced money movement: the legs of a ledger transaction, named by the business event that
 * caused it ({@code type} + {@code reference} post once). Built with {@link #of}, it refuses to
 * exist unbalanced; the database refuses again at commit.
 */
public record LedgerPosting(String type, String reference, String description, List<Leg> legs) {

    public LedgerPosting {
        legs = List.copyOf(legs);
        if (legs.size() < 2) {
            throw new IllegalArgumentException("posting " + type + "/" + reference + " needs at least two legs");
        }
        long debits = 0;
        long credits = 0;
        for (Leg leg : legs) {
            if (leg.amountWon() <= 0) {
                throw new IllegalArgumentException("posting " + type + "/" + reference + ": leg " + leg + " must be positive");
            }
            if (leg.side() == Side.DEBIT) {
                debits = Math.addExact(debits, leg.amountWon());
            } else {
                credits = Math.addExact(credits, leg.amountWon());
            }
        }
        if (debits != credits) {
            throw new IllegalArgumentException("posting " + type + "/" + reference + " is unbalanced: debits "
                    + debits + " != credits " + credits);
        }
    }

    public static Builder of(String type, String reference) {
        return new Builder(type, reference);
    }

    public record Leg(Account account, Side side, long amountWon) {
    }

    public static final class Builder {

        private final String type;
        private final String reference;
        private final List<Leg> legs = new ArrayList<>();
        private String description;

        private Builder(String type, String reference) {
            this.type = type;
            this.reference = reference;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** Adds a debit leg; a zero amount adds nothing (a settlement with no fee, say). */
        public Builder debit(Account account, long amountWon) {
            return leg(account, Side.DEBIT, amountWon);
        }

        public Builder credit(Account account, long amountWon) {
            return leg(account, Side.CREDIT, amountWon);
        }

        /** A credit, or a debit of the absolute amount when negative (a fee given back on a net-refund day). */
        public Builder signedCredit(Account account, long amountWon) {
            return amountWon < 0 ? leg(account, Side.DEBIT, -amountWon) : leg(account, Side.CREDIT, amountWon);
        }

        /** A debit, or a credit of the absolute amount when negative. */
        public Builder signedDebit(Account account, long amountWon) {
            return amountWon < 0 ? leg(account, Side.CREDIT, -amountWon) : leg(account, Side.DEBIT, amountWon);
        }

        /** Whether any leg has been added (an all-zero movement posts nothing). */
        public boolean isEmpty() {
            return legs.isEmpty();
        }

        private Builder leg(Account account, Side side, long amountWon) {
            if (amountWon != 0) {
                legs.add(new Leg(account, side, amountWon));
            }
            return this;
        }

        public LedgerPosting build() {
            return new LedgerPosting(type, reference, description, legs);
        }
    }
}
