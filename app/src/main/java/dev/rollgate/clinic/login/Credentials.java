package dev.rollgate.clinic.login;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/login}. */
public record Credentials(
        @NotBlank @Size(max = 100) String username,
        @NotBlank @Size(max = 200) String password) {}
