package io.unbreakable.payments.api.settlement;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** A payout report file as an HTTP answer, the same for the API, the console and the portal. */
public final class PayoutReportResponses {

    private PayoutReportResponses() {
    }

    /** The CSV as a download (UTF-8 with BOM, opens in Excel). */
    public static ResponseEntity<Resource> csv(Path file) {
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(file.getFileName().toString()).build().toString())
                .body(new FileSystemResource(file));
    }

    /** The readable report, shown in the browser; the batch writes it in UTF-8, so say so (Korean text). */
    public static ResponseEntity<Resource> html(Path file) {
        return ResponseEntity.ok().contentType(new MediaType("text", "html", StandardCharsets.UTF_8)).body(new FileSystemResource(file));
    }
}
