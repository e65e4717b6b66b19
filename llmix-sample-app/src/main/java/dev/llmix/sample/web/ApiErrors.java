package dev.llmix.sample.web;

import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.LlmConfigException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;

/** Turns bad requests to the sample's API into {@code {"error": "…"}} bodies the dashboard can show. */
@RestControllerAdvice(basePackageClasses = ApiErrors.class)
class ApiErrors {

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badArgument(IllegalArgumentException e) {
        return error(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(ConfigNotFoundException.class)
    ResponseEntity<Map<String, String>> unknownPreset(ConfigNotFoundException e) {
        return error(HttpStatus.NOT_FOUND, e.getMessage());
    }

    /** A bad preset name or an invalid preset file is the caller's (or the preset author's) problem, not a crash. */
    @ExceptionHandler(LlmConfigException.class)
    ResponseEntity<Map<String, String>> badPreset(LlmConfigException e) {
        return error(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        return error(HttpStatus.BAD_REQUEST, cause instanceof IllegalArgumentException ? cause.getMessage()
                : "Malformed JSON request body");
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<Map<String, String>> status(ResponseStatusException e) {
        return error(HttpStatus.valueOf(e.getStatusCode().value()), e.getReason());
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(Map.of("error", message == null ? status.getReasonPhrase() : message));
    }
}
