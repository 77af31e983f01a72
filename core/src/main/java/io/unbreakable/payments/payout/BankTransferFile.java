package io.unbreakable.payments.payout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The bank transfer file (대량이체) and the bank's result file: one CSV layout each, UTF-8 without BOM, LF
 * line ends, a header line, one line per payout, and a last line
 * {@code TRAILER,<lines>,<total won>,<SHA-256 hex of every byte before the trailer>} so a truncated or
 * edited file is refused.
 *
 * <pre>
 * transfer-2026-11-25.csv                                   result file (from the bank)
 * bank_code,account_number,account_holder,amount,memo,payout_id    payout_id,status,amount,reason_code,reason_message
 * 088,110123456789,홍길동,931900,UP정산 17,17                  17,PAID,931900,,
 * TRAILER,1,931900,3f7a…                                     18,FAILED,50000,CLOSED_ACCOUNT,해지된 계좌입니다.
 *                                                            TRAILER,2,981900,9c1e…
 * </pre>
 * A result's status is PAID or FAILED; reason_message is the last field and may hold commas.
 */
public final class BankTransferFile {

    public static final String TRANSFER_HEADER = "bank_code,account_number,account_holder,amount,memo,payout_id";
    public static final String RESULT_HEADER = "payout_id,status,amount,reason_code,reason_message";

    private BankTransferFile() {
    }

    /** One transfer. The account number is whole here (the file is the transfer); toString masks it. */
    public record Transfer(long payoutId, String bankCode, String accountNumber, String holderName, long amountWon, String memo) {

        @Override
        public String toString() {
            return "Transfer[payout " + payoutId + ", " + amountWon + " won to " + bankCode + " ****"
                    + accountNumber.substring(Math.max(0, accountNumber.length() - 4)) + "]";
        }
    }

    /** One line of the bank's answer. */
    public record Result(long payoutId, PayoutStatus status, long amountWon, String reasonCode, String reasonMessage) {
    }

    /** The day's transfer file: one per payout date run, regenerated from the payouts written into it. */
    public static String fileName(LocalDate date) {
        return "transfer-" + date + ".csv";
    }

    public static String renderTransfers(List<Transfer> transfers) {
        StringBuilder body = new StringBuilder(TRANSFER_HEADER).append('\n');
        long total = 0;
        for (Transfer t : transfers) {
            body.append(t.bankCode()).append(',').append(t.accountNumber()).append(',').append(plain(t.holderName())).append(',')
                    .append(t.amountWon()).append(',').append(plain(t.memo())).append(',').append(t.payoutId()).append('\n');
            total = Math.addExact(total, t.amountWon());
        }
        return withTrailer(body.toString(), transfers.size(), total);
    }

    public static String renderResults(List<Result> results) {
        StringBuilder body = new StringBuilder(RESULT_HEADER).append('\n');
        long total = 0;
        for (Result r : results) {
            body.append(r.payoutId()).append(',').append(r.status()).append(',').append(r.amountWon()).append(',')
                    .append(r.reasonCode() == null ? "" : plain(r.reasonCode())).append(',')
                    .append(r.reasonMessage() == null ? "" : r.reasonMessage().replace('\n', ' ')).append('\n');
            total = Math.addExact(total, r.amountWon());
        }
        return withTrailer(body.toString(), results.size(), total);
    }

    /**
     * The results of a result file, refused whole ({@link IllegalArgumentException} with the line) when its
     * header, any line, its trailer's count, total or checksum, or a repeated payout id is wrong.
     */
    public static List<Result> parseResults(String content) {
        int trailerAt = content.lastIndexOf("TRAILER,");
        if (trailerAt < 0 || (trailerAt > 0 && content.charAt(trailerAt - 1) != '\n')) {
            throw new IllegalArgumentException("no TRAILER line: the file is incomplete");
        }
        String body = content.substring(0, trailerAt);
        String[] trailer = content.substring(trailerAt).strip().split(",", -1);
        if (trailer.length != 4) {
            throw new IllegalArgumentException("TRAILER must be TRAILER,<lines>,<total>,<sha256>");
        }
        if (!sha256(body).equalsIgnoreCase(trailer[3])) {
            throw new IllegalArgumentException("checksum mismatch: the file was changed or cut after it was written");
        }
        String[] lines = body.split("\n", -1);
        if (!lines[0].strip().equals(RESULT_HEADER)) {
            throw new IllegalArgumentException("line 1 must be the header " + RESULT_HEADER);
        }
        List<Result> results = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        long total = 0;
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split(",", 5);
            try {
                if (f.length != 5) {
                    throw new IllegalArgumentException("expected 5 fields");
                }
                long id = Long.parseLong(f[0].strip());
                PayoutStatus status = PayoutStatus.valueOf(f[1].strip());
                if (status != PayoutStatus.PAID && status != PayoutStatus.FAILED) {
                    throw new IllegalArgumentException("status must be PAID or FAILED");
                }
                long amount = Long.parseLong(f[2].strip());
                if (amount <= 0) {
                    throw new IllegalArgumentException("amount must be positive");
                }
                if (status == PayoutStatus.FAILED && f[3].isBlank()) {
                    throw new IllegalArgumentException("a FAILED line needs its reason_code");
                }
                if (!ids.add(id)) {
                    throw new IllegalArgumentException("payout " + id + " appears twice");
                }
                results.add(new Result(id, status, amount, f[3].isBlank() ? null : f[3].strip(), f[4].isBlank() ? null : f[4].strip()));
                total = Math.addExact(total, amount);
            } catch (IllegalArgumentException e) { // NumberFormatException too
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (Long.parseLong(trailer[1]) != results.size() || Long.parseLong(trailer[2]) != total) {
            throw new IllegalArgumentException("TRAILER says " + trailer[1] + " lines, " + trailer[2] + " won; the file has "
                    + results.size() + " lines, " + total + " won");
        }
        return results;
    }

    private static String withTrailer(String body, int lines, long total) {
        return body + "TRAILER," + lines + "," + total + "," + sha256(body) + "\n";
    }

    /** Holder names and memos are plain text in the file: a comma or line break would shift the columns. */
    private static String plain(String text) {
        return text.replace(',', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
