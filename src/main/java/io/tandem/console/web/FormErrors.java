package io.tandem.console.web;

import org.springframework.beans.NotReadablePropertyException;
import org.springframework.validation.BindingResult;

import io.tandem.console.Rejected;

/** Puts each violation of a {@link Rejected} beside its form field, or above the form when it has none. */
public final class FormErrors {

    private FormErrors() {
    }

    public static void apply(Rejected rejected, BindingResult binding) {
        if (rejected.violations().isEmpty()) {
            binding.reject(rejected.type(), rejected.getMessage());
            return;
        }
        for (Rejected.Violation violation : rejected.violations()) {
            if (violation.field() == null) {
                binding.reject(rejected.type(), violation.message());
                continue;
            }
            try {
                binding.rejectValue(violation.field(), rejected.type(), violation.message());
            } catch (NotReadablePropertyException | IllegalArgumentException noSuchField) {
                binding.reject(rejected.type(), violation.message());
            }
        }
    }
}
