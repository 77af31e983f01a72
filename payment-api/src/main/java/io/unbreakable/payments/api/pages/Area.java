package io.unbreakable.payments.api.pages;

import org.springframework.ui.Model;

/** Which side a shared page is shown in: its links start with {@code base}, its menu is the area's. */
public enum Area {
    CONSOLE("/console"),
    PORTAL("/merchant");

    private final String base;

    Area(String base) {
        this.base = base;
    }

    /** The area a request path belongs to. */
    public static Area of(String path) {
        return path.startsWith(PORTAL.base) ? PORTAL : CONSOLE;
    }

    public String base() {
        return base;
    }

    public void addTo(Model model) {
        model.addAttribute("area", this);
        model.addAttribute("base", base);
    }
}
