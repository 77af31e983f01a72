package io.unbreakable.payments.api;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The app's endpoints as Spring MVC maps them ("POST /console/merchants"), so guard tests cover an endpoint
 * the day it is added instead of the day someone remembers it.
 */
public final class HandlerEndpoints {

    public static final Set<RequestMethod> MUTATING = Set.of(RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE);

    private HandlerEndpoints() {
    }

    /**
     * "METHOD pattern" of every mapping under one of {@code prefixes} with one of {@code methods}; a mapping
     * that names no method (it takes any) counts as every method, so it cannot slip past as a GET.
     */
    public static Set<String> of(RequestMappingHandlerMapping mapping, Set<RequestMethod> methods, List<String> prefixes) {
        Set<String> endpoints = new TreeSet<>();
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            Set<RequestMethod> declared = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
                if (prefixes.stream().noneMatch(prefix -> pattern.equals(prefix) || pattern.startsWith(prefix + "/"))) {
                    continue;
                }
                for (RequestMethod method : declared.isEmpty() ? methods : declared) {
                    if (methods.contains(method)) {
                        endpoints.add(method + " " + pattern);
                    }
                }
            }
        }
        return endpoints;
    }
}
