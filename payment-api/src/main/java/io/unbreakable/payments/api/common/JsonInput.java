package io.unbreakable.payments.api.common;

import java.util.function.LongFunction;
import java.util.regex.Pattern;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.module.SimpleModule;

/**
 * How request bodies are read, for every JSON field of every endpoint at once: text must be
 * {@link PlainText}, whole numbers are whole numbers, and a key given twice is refused. A refusal
 * names the field (ProblemDetailsHandler turns the path into the answer's detail).
 */
@Configuration(proxyBeanMethods = false)
class JsonInput {

    /**
     * Toss's sample server forwards {@code amount} as a JSON string ("50000"), so a whole number may
     * come as a string of digits; anything else in a string ("50000.5", "", " 5", "1e3", "-5") is a
     * 400, never rounded, trimmed or read as zero.
     */
    private static final Pattern DIGITS = Pattern.compile("-?[0-9]{1,19}");

    @Bean
    JacksonModule strictRequestValues() {
        return new SimpleModule("strict-request-values")
                .addDeserializer(String.class, new PlainTextDeserializer())
                .addDeserializer(Long.class, new WholeNumberDeserializer<>(Long.class, Long::valueOf))
                .addDeserializer(Integer.class, new WholeNumberDeserializer<>(Integer.class, Math::toIntExact));
    }

    /** {"amount":1,"amount":1000000}: which one did the client mean? Neither is taken. */
    @Bean
    JsonMapperBuilderCustomizer refuseDuplicateKeys() {
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    static final class PlainTextDeserializer extends StdScalarDeserializer<String> {

        PlainTextDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            if (value != null) {
                PlainText.violation(value).ifPresent(why -> {
                    throw MismatchedInputException.from(p, String.class, why);
                });
            }
            return value;
        }
    }

    static final class WholeNumberDeserializer<T> extends StdScalarDeserializer<T> {

        private final LongFunction<T> box;

        WholeNumberDeserializer(Class<T> type, LongFunction<T> box) {
            super(type);
            this.box = box;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonToken token = p.currentToken();
            try {
                if (token == JsonToken.VALUE_NUMBER_INT) {
                    return box.apply(p.getLongValue());
                }
                if (token == JsonToken.VALUE_STRING && DIGITS.matcher(p.getString()).matches()) {
                    return box.apply(Long.parseLong(p.getString()));
                }
            } catch (ArithmeticException | NumberFormatException | InputCoercionException e) {
                throw MismatchedInputException.from(p, handledType(), "is out of range");
            }
            if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_STRING) {
                throw MismatchedInputException.from(p, handledType(),
                        "must be a whole number, as a JSON number or a string of digits (no fraction, exponent, spaces or sign +)");
            }
            return (T) ctxt.handleUnexpectedToken(handledType(), p);
        }
    }
}
