package io.unbreakable.payments.batch.reconciliation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PG's daily settlement file, as this project defines it (UTF-8 CSV, optional BOM, header row):
 * <pre>
 * transaction_type,transaction_reference,amount,pg_fee
 * APPROVAL,pk_0001,14000,280
 * CANCEL,tx_6f1c...,5000,100
 * </pre>
 * {@code transaction_reference} is the paymentKey for an approval and the PG's transactionKey for a
 * cancel; amounts are positive whole won; {@code pg_fee} is what the PG charges for the transaction.
 */
final class PgSettlementFile {

    static final String HEADER = "transaction_type,transaction_reference,amount,pg_fee";

    private PgSettlementFile() {
    }

    record Row(String transactionType, String transactionReference, long amount, long pgFee) {
    }

    static List<Row> read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).replace("\uFEFF", "").trim().equals(HEADER)) {
                throw new IllegalArgumentException(file + " does not start with the header " + HEADER);
            }
            List<Row> rows = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (line.isEmpty()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                if (fields.length != 4 || !(fields[0].equals("APPROVAL") || fields[0].equals("CANCEL"))) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + " is not " + HEADER + ": " + line);
                }
                rows.add(new Row(fields[0], fields[1], Long.parseLong(fields[2]), Long.parseLong(fields[3])));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the PG settlement file " + file, e);
        }
    }
}
