package dev.llmix.config.mda;

import org.jspecify.annotations.Nullable;

/**
 * The identity a {@link SigstoreVerifier} proved.
 *
 * @param issuer                 the OIDC issuer from the certificate
 * @param subject                the subject, if any
 * @param subjectAlternativeName the SAN, used when {@code subject} is absent
 */
public record SigstoreVerificationResult(@Nullable String issuer, @Nullable String subject,
        @Nullable String subjectAlternativeName) {

    /** The subject, else the SAN, else null. */
    public @Nullable String effectiveSubject() {
        return subject != null && !subject.isEmpty() ? subject : subjectAlternativeName;
    }
}
