package io.unbreakable.payments.ledger;

import static io.unbreakable.payments.ledger.Account.Platform.PAYOUT_CLEARING;
import static io.unbreakable.payments.ledger.Account.Platform.PG_RECEIVABLE;
import static io.unbreakable.payments.ledger.Account.Platform.PLATFORM_FEE_REVENUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unbreakable.payments.ledger.LedgerPosting.Leg;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A posting is balanced and positive by construction: every way to build a wrong one is refused before the database sees it. */
class LedgerPostingTest {

    private static final Account SELLER = Account.sellerPayable(7);

    @Test
    void aBalancedPostingKeepsItsLegsInOrderAndCannotBeChangedAfterwards() {
        LedgerPosting posting = LedgerPosting.of("PAYMENT_APPROVED", "p-1").description("order o-1")
                .debit(PG_RECEIVABLE, 10_000).credit(SELLER, 9_670).credit(PLATFORM_FEE_REVENUE, 330).build();

        assertThat(posting.type()).isEqualTo("PAYMENT_APPROVED");
        assertThat(posting.reference()).isEqualTo("p-1");
        assertThat(posting.description()).isEqualTo("order o-1");
        assertThat(posting.legs()).containsExactly(new Leg(PG_RECEIVABLE, Side.DEBIT, 10_000), new Leg(SELLER, Side.CREDIT, 9_670),
                new Leg(PLATFORM_FEE_REVENUE, Side.CREDIT, 330));
        assertThatThrownBy(() -> posting.legs().add(new Leg(SELLER, Side.DEBIT, 1))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anUnbalancedPostingIsRefusedWithBothSums() {
        assertThatThrownBy(() -> LedgerPosting.of("X", "r").debit(PG_RECEIVABLE, 100).credit(SELLER, 99).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("posting X/r is unbalanced: debits 100 != credits 99");
        assertThatThrownBy(() -> LedgerPosting.of("X", "r").debit(PG_RECEIVABLE, 99).credit(SELLER, 100).build())
                .hasMessage("posting X/r is unbalanced: debits 99 != credits 100");
    }

    @Test
    void aPostingNeedsTwoLegsAndZeroAmountsAddNone() {
        LedgerPosting.Builder empty = LedgerPosting.of("X", "r").debit(PG_RECEIVABLE, 0).credit(SELLER, 0).signedCredit(SELLER, 0);
        assertThat(empty.isEmpty()).isTrue();
        assertThatThrownBy(empty::build).isInstanceOf(IllegalArgumentException.class).hasMessage("posting X/r needs at least two legs");

        LedgerPosting.Builder one = LedgerPosting.of("X", "r").debit(PG_RECEIVABLE, 5);
        assertThat(one.isEmpty()).isFalse();
        assertThatThrownBy(one::build).hasMessage("posting X/r needs at least two legs");
    }

    @Test
    void aNegativeOrZeroLegIsRefusedWhenBuiltDirectly() {
        assertThatThrownBy(() -> new LedgerPosting("X", "r", null,
                List.of(new Leg(PG_RECEIVABLE, Side.DEBIT, -5), new Leg(SELLER, Side.CREDIT, -5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> new LedgerPosting("X", "r", null,
                List.of(new Leg(PG_RECEIVABLE, Side.DEBIT, 0), new Leg(SELLER, Side.CREDIT, 0))))
                .hasMessageContaining("must be positive");
    }

    @Test
    void signedLegsTurnANegativeAmountIntoTheOtherSide() {
        LedgerPosting feeGivenBack = LedgerPosting.of("SETTLEMENT", "s-1")
                .signedCredit(PLATFORM_FEE_REVENUE, -300).signedDebit(SELLER, -300).build();
        assertThat(feeGivenBack.legs()).containsExactly(new Leg(PLATFORM_FEE_REVENUE, Side.DEBIT, 300), new Leg(SELLER, Side.CREDIT, 300));

        LedgerPosting ordinary = LedgerPosting.of("SETTLEMENT", "s-2")
                .signedDebit(SELLER, 500).signedCredit(PAYOUT_CLEARING, 500).build();
        assertThat(ordinary.legs()).containsExactly(new Leg(SELLER, Side.DEBIT, 500), new Leg(PAYOUT_CLEARING, Side.CREDIT, 500));
    }

    @Test
    void sumsThatWouldOverflowAreRefusedNotWrapped() {
        assertThatThrownBy(() -> LedgerPosting.of("X", "r").debit(PG_RECEIVABLE, Long.MAX_VALUE).debit(PG_RECEIVABLE, 1)
                .credit(SELLER, 1).build()).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> LedgerPosting.of("X", "r").debit(PG_RECEIVABLE, 1).credit(SELLER, Long.MAX_VALUE)
                .credit(SELLER, 1).build()).isInstanceOf(ArithmeticException.class);
    }
}
