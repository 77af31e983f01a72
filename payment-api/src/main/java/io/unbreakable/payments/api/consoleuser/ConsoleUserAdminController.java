package io.unbreakable.payments.api.consoleuser;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.unbreakable.payments.time.Seoul;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/admin/console-users")
@Tag(name = "Admin: console users", description = "Finance: Authorization: Bearer <PAYMENT_ADMIN_TOKEN>")
class ConsoleUserAdminController {

    private final ConsoleUserService users;

    ConsoleUserAdminController(ConsoleUserService users) {
        this.users = users;
    }

    @GetMapping
    @Operation(summary = "Every console user with role and state (the bootstrap user from the environment first)")
    List<ConsoleUserResponse> list() {
        return users.all().stream().map(ConsoleUserResponse::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a console user (VIEWER reads, OPERATOR also changes); the password is stored as bcrypt")
    ConsoleUserResponse create(@Valid @RequestBody CreateRequest request) {
        return ConsoleUserResponse.of(users.create(request.username(), request.password(), request.role()));
    }

    @PatchMapping("/{username}")
    @Operation(summary = "Change a user's role, disable or enable it (takes effect on its next request), or set a new password")
    ConsoleUserResponse change(@PathVariable String username, @RequestBody ChangeRequest request) {
        return ConsoleUserResponse.of(users.change(username, request.role(), request.enabled(), request.password()));
    }

    record CreateRequest(@NotBlank String username, @NotBlank String password, @NotNull ConsoleRole role) {
    }

    /** Every field optional: what is absent stays as it is. */
    record ChangeRequest(ConsoleRole role, Boolean enabled, String password) {
    }

    record ConsoleUserResponse(String username, ConsoleRole role, boolean enabled, boolean bootstrap, OffsetDateTime createdAt) {

        static ConsoleUserResponse of(ConsoleUser user) {
            return new ConsoleUserResponse(user.username(), user.role(), user.enabled(), user.bootstrap(),
                    user.createdAt() == null ? null : Seoul.time(user.createdAt()));
        }
    }
}
