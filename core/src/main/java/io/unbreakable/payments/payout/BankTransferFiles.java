package io.unbreakable.payments.payout;

import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.crypto.V72__encrypt_payout_account_numbers;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * A transfer file's content, built from the payouts written into it (the batch writes it to disk, the
 * console offers it for download: the same bytes). The only reader of whole account numbers besides the
 * PG transfer itself.
 */
public class BankTransferFiles {

    private final DSLContext db;
    private final DataCipher cipher;

    public BankTransferFiles(DSLContext db, DataCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    /** The file's content, or empty when no payout was ever written into a file of that name. */
    public Optional<String> content(String fileName, String memo) {
        List<BankTransferFile.Transfer> transfers = db.fetch("""
                select id, bank_code, account_number, account_holder, amount from payout
                 where transfer_file = ? order by id""", fileName)
                .map(r -> new BankTransferFile.Transfer(r.get(0, Long.class), r.get(1, String.class),
                        cipher.decrypt(V72__encrypt_payout_account_numbers.PURPOSE, r.get(2, String.class)).replaceAll("[^0-9]", ""),
                        r.get(3, String.class), r.get(4, Long.class), memo + " " + r.get(0, Long.class)));
        return transfers.isEmpty() ? Optional.empty() : Optional.of(BankTransferFile.renderTransfers(transfers));
    }

    /** The names of the transfer files written, newest first. */
    public List<String> names(int limit) {
        return db.fetch("select transfer_file from payout where transfer_file is not null group by transfer_file order by transfer_file desc limit ?",
                limit).getValues(0, String.class);
    }
}
