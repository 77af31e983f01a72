package io.unbreakable.payments.api.datakey;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Admin: data key", description = "Finance: Authorization: Bearer <PAYMENT_ADMIN_TOKEN>")
class DataKeyAdminController {

    private final DataKeyRotation rotation;

    DataKeyAdminController(DataKeyRotation rotation) {
        this.rotation = rotation;
    }

    @PostMapping("/v1/admin/data-key/rotation")
    @Operation(summary = "Rewrite every stored account number under the current (first) key of PAYMENTS_DATA_KEY; then the old key can go")
    DataKeyRotation.Result rotate() {
        return rotation.rotate();
    }
}
