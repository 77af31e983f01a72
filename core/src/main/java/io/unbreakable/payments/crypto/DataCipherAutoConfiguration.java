package io.unbreakable.payments.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The data key both apps encrypt with, from {@code PAYMENTS_DATA_KEY}. A server deployment (DB_HOST set)
 * must set it: without it the app stops at start-up, since every instance, the batch jobs and every
 * restart must share the key or the values they wrote become unreadable. On the embedded default a key
 * is generated once, printed, and kept beside the database's files ({@code .data/data-key}), so the
 * API, a batch job run by hand and the next start all find it; a temporary embedded database (tests)
 * gets a temporary key.
 */
@AutoConfiguration
public class DataCipherAutoConfiguration {

    static final String SETTING = "PAYMENTS_DATA_KEY";

    @Bean
    DataCipher dataCipher(Environment environment) {
        String configured = environment.getProperty(SETTING, "");
        if (!configured.isBlank()) {
            return DataCipher.of(configured);
        }
        String dbHost = environment.getProperty("DB_HOST", "");
        if (!dbHost.isBlank()) {
            throw new IllegalStateException(SETTING + " is not set, and DB_HOST names a database server: every instance and "
                    + "job must share one data key. Generate one with `echo k1:$(openssl rand -base64 32)` and set "
                    + SETTING + " to it (keep it in your secret store; losing it loses the encrypted account numbers)");
        }
        String dataDirectory = environment.getProperty("payments.embedded-database.data-directory", ".data/postgres");
        if (dataDirectory.isBlank()) {
            return DataCipher.of(DataCipher.newKey("temporary"));
        }
        return DataCipher.of(embeddedKey(Path.of(dataDirectory).toAbsolutePath().normalize().resolveSibling("data-key")));
    }

    @Bean
    V72__encrypt_payout_account_numbers encryptPayoutAccountNumbers(DataCipher cipher) {
        return new V72__encrypt_payout_account_numbers(cipher);
    }

    private static String embeddedKey(Path file) {
        try {
            if (!Files.exists(file)) {
                String key = DataCipher.newKey("local");
                Files.createDirectories(file.getParent());
                try {
                    Files.writeString(Files.createFile(file), key, StandardCharsets.US_ASCII);
                    restrictToOwner(file);
                    // shown once, like the admin token; set PAYMENTS_DATA_KEY to choose your own
                    System.out.println("\n  " + SETTING + " was not set; generated this database's data key into " + file
                            + " (keep it with the database): " + key + "\n");
                    return key;
                } catch (FileAlreadyExistsException raced) {
                    // another process (a batch job started beside the API) wrote it first: use theirs
                }
            }
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the embedded database's data key " + file, e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions keeps its defaults
        }
    }
}
