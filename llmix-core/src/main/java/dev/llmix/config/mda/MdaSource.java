package dev.llmix.config.mda;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A loaded and validated {@code .mda} source: its frontmatter and what a caller may want to act on — the declared
 * integrity, the signatures and {@code requires.network}. The body is not kept (it only feeds the digest).
 *
 * @param name               the {@code name} field, or null
 * @param frontmatter        the parsed frontmatter (immutable JSON-like map)
 * @param integrityAlgorithm {@code integrity.algorithm}, or null when absent
 * @param integrityDigest    {@code integrity.digest}, or null when absent
 * @param integrityVerified  true when the digest was recomputed and matched
 * @param signatures         the declared signatures (possibly empty)
 * @param trustedIdentities  identities whose signatures verified (empty unless signatures were checked)
 * @param requiresNetwork    the {@code requires.network} value, or null when absent
 */
public record MdaSource(@Nullable String name, Map<String, @Nullable Object> frontmatter,
        @Nullable String integrityAlgorithm, @Nullable String integrityDigest, boolean integrityVerified,
        List<SignatureEntry> signatures, List<String> trustedIdentities, @Nullable Object requiresNetwork) {

    public MdaSource {
        signatures = List.copyOf(signatures);
        trustedIdentities = List.copyOf(trustedIdentities);
    }
}
