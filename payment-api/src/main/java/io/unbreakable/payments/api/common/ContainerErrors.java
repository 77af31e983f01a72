package io.unbreakable.payments.api.common;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Refusals made outside Spring MVC's exception handling leave as problem+json too: Tomcat's
 * (through {@link ProblemReportValve}), Spring Security's firewall (an encoded percent or a
 * semicolon in the path, a header it does not accept), and anything that ends in
 * {@code sendError} (the error page, /error, which this controller answers instead of Boot's).
 */
@Configuration(proxyBeanMethods = false)
class ContainerErrors {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReportValve() {
        return new WebServerFactoryCustomizer<>() {
            @Override
            public void customize(TomcatServletWebServerFactory factory) {
                factory.addContextCustomizers(context -> {
                    Host host = (Host) context.getParent();
                    for (Valve valve : host.getPipeline().getValves()) {
                        if (valve instanceof ErrorReportValve) { // Boot's, which writes Tomcat's HTML page
                            host.getPipeline().removeValve(valve);
                        }
                    }
                    host.getPipeline().addValve(new ProblemReportValve());
                    // the host adds its own error valve at start unless one of this class is there
                    ((StandardHost) host).setErrorReportValveClass(ProblemReportValve.class.getName());
                });
            }
        };
    }

    /** The firewall's reason, as a 400 problem, instead of a bare sendError(400). */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, rejected) -> Problems.write(request, response, ErrorCode.INVALID_REQUEST, rejected.getMessage());
    }

    @RestController
    static class ProblemErrorController implements ErrorController {

        @RequestMapping("${server.error.path:${error.path:/error}}")
        ResponseEntity<ProblemDetail> error(HttpServletRequest request, HttpServletResponse response) {
            Object attribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            int status = attribute instanceof Integer code ? code : response.getStatus();
            if (status < 400) { // /error asked for directly
                status = HttpStatus.NOT_FOUND.value();
            }
            ErrorCode code = ErrorCode.forStatus(status);
            Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
            String detail = code == ErrorCode.INTERNAL_ERROR ? "unexpected error; it has been logged"
                    : message instanceof String text && !text.isBlank() ? text : HttpStatus.valueOf(status).getReasonPhrase();
            ProblemDetail problem = Problems.of(HttpStatusCode.valueOf(status), code.name(), detail);
            if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri && PlainText.violation(uri).isEmpty()) {
                try {
                    problem.setInstance(URI.create(uri));
                } catch (IllegalArgumentException e) {
                    // not a URI we could name: left out
                }
            }
            return ResponseEntity.status(status).body(problem);
        }
    }
}
