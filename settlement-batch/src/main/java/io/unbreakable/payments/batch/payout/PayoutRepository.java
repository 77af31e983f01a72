package io.unbreakable.payments.batch.payout;

import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.crypto.V72__encrypt_payout_account_numbers;
import io.unbreakable.payments.payout.PayoutGatewayType;
import java.time.LocalDate;
import java.util.List;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/** The payout jobs' SQL. Account numbers are decrypted only into {@link PayoutOrder}s and account checks. */
@Repository
class PayoutRepository {

    private final DSLContext db;
    private final DataCipher cipher;

    PayoutRepository(DSLContext db, DataCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    /** Payouts due on or before {@code date} and not sent, after {@code afterId} (keyset: what was sent drops out). */
    List<Long> dueAfter(LocalDate date, long afterId, int limit) {
        return db.fetch("""
                select id from payout where status in ('SCHEDULED', 'RELEASED') and payout_date <= ?::date and id > ?
                 order by id limit ?""", date, afterId, limit).getValues(0, Long.class);
    }

    long countDue(LocalDate date) {
        return db.fetchValue("select count(*) from payout where status in ('SCHEDULED', 'RELEASED') and payout_date <= ?::date", date)
                instanceof Number n ? n.longValue() : 0;
    }

    /** Payouts sent through {@code gateway} whose result is not known yet. */
    List<Long> open(PayoutGatewayType gateway) {
        return db.fetch("select id from payout where status in ('REQUESTED', 'UNKNOWN') and gateway = ? order by id", gateway.name())
                .getValues(0, Long.class);
    }

    /** What decides whether a due payout may go: the merchant's account, its holder check and its wallet. */
    record Candidate(long payoutId, long merchantId, boolean hasAccount, String accountCheck, long walletBalance) {
    }

    List<Candidate> candidates(List<Long> payoutIds) {
        return db.fetch("""
                select p.id, p.merchant_id, m.payout_account_number is not null and m.payout_bank_code is not null
                       and m.payout_account_holder is not null as has_account, m.payout_account_check, w.balance
                  from payout p join merchant m on m.id = p.merchant_id join wallet w on w.merchant_id = p.merchant_id
                 where p.id = any(?::bigint[])
                 order by p.id""", (Object) payoutIds.toArray(Long[]::new))
                .map(r -> new Candidate(r.get(0, Long.class), r.get(1, Long.class), r.get(2, Boolean.class), r.get(3, String.class),
                        r.get(4, Long.class)));
    }

    /** A merchant account whose holder was not checked yet: {@code stored} is its ciphertext, to record the check against. */
    record AccountToCheck(long merchantId, String bankCode, String accountNumber, String holderName, String stored) {

        @Override
        public String toString() {
            return "AccountToCheck[merchant " + merchantId + ", " + bankCode + "]";
        }
    }

    List<AccountToCheck> accountsToCheck(List<Long> payoutIds) {
        return db.fetch("""
                select distinct m.id, m.payout_bank_code, m.payout_account_number, m.payout_account_holder
                  from payout p join merchant m on m.id = p.merchant_id
                 where p.id = any(?::bigint[]) and m.payout_account_check = 'UNVERIFIED'
                   and m.payout_account_number is not null and m.payout_bank_code is not null and m.payout_account_holder is not null
                 order by m.id""", (Object) payoutIds.toArray(Long[]::new))
                .map(r -> new AccountToCheck(r.get(0, Long.class), r.get(1, String.class),
                        digits(cipher.decrypt(V72__encrypt_payout_account_numbers.PURPOSE, r.get(2, String.class))), r.get(3, String.class),
                        r.get(2, String.class)));
    }

    /** Records a holder check, unless the account changed meanwhile (then the new one is checked next run). */
    void recordAccountCheck(long merchantId, String stored, String result) {
        db.execute("""
                update merchant set payout_account_check = ?, payout_account_checked_at = now()
                 where id = ? and payout_account_number = ?""", result, merchantId, stored);
    }

    /** The transfers of these payouts, with the account copied onto each payout when it was requested. */
    List<PayoutOrder> orders(List<Long> payoutIds) {
        return db.fetch("""
                select id, merchant_id, attempt, amount, bank_code, account_number, account_holder from payout
                 where id = any(?::bigint[]) order by id""", (Object) payoutIds.toArray(Long[]::new))
                .map(r -> new PayoutOrder(r.get(0, Long.class), r.get(1, Long.class), r.get(2, Integer.class), r.get(3, Long.class),
                        r.get(4, String.class), digits(cipher.decrypt(V72__encrypt_payout_account_numbers.PURPOSE, r.get(5, String.class))),
                        r.get(6, String.class)));
    }

    /** A payout as a bank result file is checked against. */
    record Sent(long payoutId, String status, String gateway, long amountWon) {
    }

    /** The payouts of these ids, locked until the result file is applied (a second import waits, then finds them done). */
    List<Sent> lockSent(List<Long> payoutIds) {
        return db.fetch("select id, status, gateway, amount from payout where id = any(?::bigint[]) order by id for update",
                (Object) payoutIds.toArray(Long[]::new))
                .map(r -> new Sent(r.get(0, Long.class), r.get(1, String.class), r.get(2, String.class), r.get(3, Long.class)));
    }

    /** Accounts stored before numbers were kept as digits ("110-123-456789") go out as digits all the same. */
    private static String digits(String accountNumber) {
        return accountNumber.replaceAll("[^0-9]", "");
    }
}
