package io.unbreakable.payments.api.settlement;

import io.unbreakable.payments.settlement.Settlement;
import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.common.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/** Reads what the settlement batch wrote: settlements and payout reports. */
@Service
public class SettlementService {

    private final SettlementRepository settlements;
    private final Path reportDirectory;

    SettlementService(SettlementRepository settlements,
            @Value("${payments.settlement.report-directory:.data/reports}") Path reportDirectory) {
        this.settlements = settlements;
        this.reportDirectory = reportDirectory.toAbsolutePath().normalize();
    }

    public List<Settlement> forMerchant(long merchantId, LocalDate salesDate) {
        return settlements.find(salesDate, merchantId);
    }

    public List<Settlement> all(LocalDate salesDate) {
        return settlements.find(salesDate, null);
    }

    public List<Settlement> latest(long merchantId, int limit) {
        return settlements.latest(merchantId, limit);
    }

    /** A merchant's own settlement; another merchant's is simply not found. */
    public Settlement get(long merchantId, long settlementId) {
        return find((Long) merchantId, settlementId);
    }

    /** Finance's view: any merchant's settlement. */
    public Settlement getForFinance(long settlementId) {
        return find(null, settlementId);
    }

    private Settlement find(Long merchantId, long settlementId) {
        return settlements.findById(settlementId, merchantId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no settlement " + settlementId));
    }

    /** A merchant's own payout report file; another merchant's payout is simply not found. */
    public Path report(long merchantId, long payoutId, boolean csv) {
        return reportFile((Long) merchantId, payoutId, csv);
    }

    /** Finance's view: any merchant's payout report. */
    public Path reportForFinance(long payoutId, boolean csv) {
        return reportFile(null, payoutId, csv);
    }

    private Path reportFile(Long merchantId, long payoutId, boolean csv) {
        Path file = settlements.reportPath(merchantId, payoutId, csv)
                .map(path -> reportDirectory.resolve(path).normalize())
                .filter(path -> path.startsWith(reportDirectory) && Files.isRegularFile(path))
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no payout report " + payoutId));
        return file;
    }
}
