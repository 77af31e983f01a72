package io.unbreakable.payments.api.pages.console;

import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.consoleuser.ConsoleRole;
import io.unbreakable.payments.api.consoleuser.ConsoleUserService;
import io.unbreakable.payments.api.pages.Area;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Finance's console users: the list for everyone, a new user and role / enabled changes for OPERATORs (the security rule). */
@Controller
@RequestMapping("/console/users")
class ConsoleUsersController {

    private final ConsoleUserService users;

    ConsoleUsersController(ConsoleUserService users) {
        this.users = users;
    }

    @GetMapping
    String list(Model model) {
        if (!model.containsAttribute("newUser")) {
            model.addAttribute("newUser", new NewUserForm(null, null, ConsoleRole.VIEWER));
        }
        Area.CONSOLE.addTo(model);
        model.addAttribute("users", users.all());
        model.addAttribute("roles", ConsoleRole.values());
        return "console/users";
    }

    @PostMapping
    String create(@Valid @ModelAttribute("newUser") NewUserForm form, BindingResult binding, Model model, RedirectAttributes redirect) {
        if (!binding.hasErrors()) {
            try {
                users.create(form.username().strip(), form.password(), form.role());
                redirect.addFlashAttribute("userSaved", form.username().strip());
                return "redirect:/console/users";
            } catch (ApiException e) {
                binding.rejectValue("username", "user." + e.code(), e.getMessage());
            }
        }
        return list(model);
    }

    /** A user's role and whether it may sign in; the change applies from its next request. */
    @PostMapping("/{username}")
    String change(@PathVariable String username, @Valid UserChangeForm form, BindingResult binding, RedirectAttributes redirect) {
        if (!binding.hasErrors()) {
            users.change(username, form.role(), Boolean.TRUE.equals(form.enabled()), null);
            redirect.addFlashAttribute("userSaved", username);
        }
        return "redirect:/console/users";
    }

    record NewUserForm(@NotBlank String username, @NotBlank String password, @NotNull ConsoleRole role) {
    }

    /** {@code enabled}: the checkbox, absent when unticked. */
    record UserChangeForm(@NotNull ConsoleRole role, Boolean enabled) {
    }
}
