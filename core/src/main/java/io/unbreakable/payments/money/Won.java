package io.unbreakable.payments.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Every rounding of money in the product has a name here. Amounts are whole won in {@code long};
 * rates are {@link BigDecimal}; a fractional won exists only inside these methods.
 */
public final class Won {

    private static final BigDecimal ELEVEN = BigDecimal.valueOf(11);
    private static final BigDecimal VAT_RATE = new BigDecimal("0.10");

    private Won() {
    }

    /** Half-up to the won, symmetric for negatives (-0.5 becomes -1): how Toss rounds fees and VAT. */
    public static long halfUp(BigDecimal amount) {
        return amount.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** {@code amountWon x rate}, half-up to the won: fees. */
    public static long timesRateHalfUp(long amountWon, BigDecimal rate) {
        return halfUp(BigDecimal.valueOf(amountWon).multiply(rate));
    }

    /** VAT inside a tax-inclusive amount: 1/11 of it, half-up (Toss's {@code vat}; supply = amount - vat). */
    public static long vatIncludedIn(long amountWon) {
        return halfUp(BigDecimal.valueOf(amountWon).divide(ELEVEN, 10, RoundingMode.HALF_UP));
    }

    /** VAT charged on top of a net amount (10 %), half-up: the VAT on our fee. */
    public static long vatOn(long netAmountWon) {
        return timesRateHalfUp(netAmountWon, VAT_RATE);
    }

    /** Truncated below 10 won, toward zero (국고금 끝수 처리: tax amounts drop their last digit). */
    public static long truncateTo10Won(long amountWon) {
        return amountWon / 10 * 10;
    }

    /** {@code amountWon x rate}, truncated below 10 won toward zero: taxes (국고금 끝수 처리). */
    public static long timesRateTruncatedTo10Won(long amountWon, BigDecimal rate) {
        return BigDecimal.valueOf(amountWon).multiply(rate).movePointLeft(1).setScale(0, RoundingMode.DOWN)
                .movePointRight(1).longValueExact();
    }
}
