package dev.llmix.config.mda;

/**
 * The stable error categories of the MDA source loader. {@link #wireName()} and
 * {@link #toString()} give the exact category string, e.g. {@code frontmatter-yaml-parse-error}.
 */
public enum MdaErrorCategory {
    INVALID_ENCODING("invalid-encoding"),
    UNTERMINATED_FRONTMATTER("unterminated-frontmatter"),
    MISSING_REQUIRED_FRONTMATTER("missing-required-frontmatter"),
    FRONTMATTER_YAML_PARSE_ERROR("frontmatter-yaml-parse-error"),
    SCHEMA_VIOLATION("schema-violation"),
    SIGNATURE_DIGEST_MISMATCH("signature-digest-mismatch"),
    SIGNATURES_WITHOUT_INTEGRITY("signatures-without-integrity"),
    MISSING_REQUIRED_INTEGRITY("missing-required-integrity"),
    MISSING_REQUIRED_SIGNATURE("missing-required-signature"),
    INTEGRITY_MISMATCH("integrity-mismatch"),
    REKOR_ENTRY_TYPE_MISMATCH("rekor-entry-type-mismatch"),
    REKOR_INCLUSION_FAILURE("rekor-inclusion-failure"),
    FULCIO_CHAIN_FAILURE("fulcio-chain-failure"),
    SIGNATURE_VERIFICATION_FAILURE("signature-verification-failure"),
    NO_TRUSTED_SIGNATURE("no-trusted-signature"),
    INSUFFICIENT_TRUSTED_SIGNATURES("insufficient-trusted-signatures"),
    TRUST_POLICY_VIOLATION("trust-policy-violation"),
    UNKNOWN_SIGNER_METHOD("unknown-signer-method"),
    REQUIRES_NOT_SATISFIED("requires-not-satisfied"),
    PROJECT_SCHEMA_VIOLATION("project-schema-violation");

    private final String wireName;

    MdaErrorCategory(String wireName) {
        this.wireName = wireName;
    }

    /** The category string, e.g. {@code integrity-mismatch}. */
    public String wireName() {
        return wireName;
    }

    /** The category for a wire name, or {@code null} when unknown. */
    public static @org.jspecify.annotations.Nullable MdaErrorCategory fromWireName(String wireName) {
        for (MdaErrorCategory c : values()) {
            if (c.wireName.equals(wireName)) {
                return c;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
