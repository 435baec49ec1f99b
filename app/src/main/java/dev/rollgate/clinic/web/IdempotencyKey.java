package dev.rollgate.clinic.web;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@code Idempotency-Key} request header of every create: optional, 1–200 visible ASCII characters
 * (a UUID fits). A repeat with the same key returns the first response and writes nothing.
 */
@Documented
@Constraint(validatedBy = {})
@Pattern(regexp = "[\\x21-\\x7e]{1,200}")
@ReportAsSingleViolation
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
public @interface IdempotencyKey {

    String HEADER = "Idempotency-Key";

    String message() default "Idempotency-Key must be 1 to 200 visible ASCII characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
