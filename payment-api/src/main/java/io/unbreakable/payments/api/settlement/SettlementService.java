package io.unbreakable.payments.api.settlement;

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

    /** A merchant's own payout report file; another merchant's payout is simply not found. */
    public Path report(long merchantId, long payoutId, boolean csv) {
        Path file = settlements.reportPath(merchantId, payoutId, csv)
                .map(path -> reportDirectory.resolve(path).normalize())
                .filter(path -> path.startsWith(reportDirectory) && Files.isRegularFile(path))
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no payout report " + payoutId));
        return file;
    }
}
