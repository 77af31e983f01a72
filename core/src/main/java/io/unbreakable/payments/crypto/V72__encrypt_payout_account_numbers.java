package io.unbreakable.payments.crypto;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Encrypts the bank account numbers stored before V72 in place (merchant.payout_account_number and the
 * copy each payout took), in Flyway's transaction: a Java migration because only the app holds the key.
 * V73 then refuses plaintext in both columns. jOOQ's code generation runs the SQL migrations only, on an
 * empty database, where there is nothing to encrypt.
 */
public class V72__encrypt_payout_account_numbers extends BaseJavaMigration {

    /** The associated data of every stored account number: the merchant's and a payout's copy alike. */
    public static final String PURPOSE = "payout_account_number";

    private final DataCipher cipher;

    V72__encrypt_payout_account_numbers(DataCipher cipher) {
        this.cipher = cipher;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        encryptColumn(connection, "merchant", "payout_account_number");
        encryptColumn(connection, "payout", "account_number");
    }

    private void encryptColumn(Connection connection, String table, String column) throws SQLException {
        // table and column are the two constants above, never input
        try (PreparedStatement select = connection.prepareStatement(
                        "select id, " + column + " from " + table + " where " + column + " is not null");
                PreparedStatement update = connection.prepareStatement(
                        "update " + table + " set " + column + " = ? where id = ?");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String value = rows.getString(2);
                if (!DataCipher.looksEncrypted(value)) {
                    update.setString(1, cipher.encrypt(PURPOSE, value));
                    update.setLong(2, rows.getLong(1));
                    update.addBatch();
                }
            }
            update.executeBatch();
        }
    }
}
