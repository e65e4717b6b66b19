package dev.llmix.config.mda;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the MDA loader verifies beyond extraction and schema. Everything is off by default; {@code trustedRuntime}
 * is the production profile (integrity and at least one trusted signature mandatory).
 *
 * @param verifyIntegrity  recompute and check the integrity digest
 * @param verifySignatures verify signatures against {@code trustPolicy} (implies integrity)
 * @param trustedRuntime   require and verify integrity and signatures (implies both)
 * @param enforceRequires  check {@code requires.network} against {@code allowedNetworks}
 * @param allowedNetworks  hosts or patterns the operator permits
 * @param trustPolicy      the trust policy in its JSON form (validated when signatures are verified), or null
 * @param hooks            Rekor, Sigstore and did:web verification hooks
 */
public record MdaLoadOptions(boolean verifyIntegrity, boolean verifySignatures, boolean trustedRuntime,
        boolean enforceRequires, List<String> allowedNetworks, @Nullable Map<String, ?> trustPolicy,
        MdaSignatures.Hooks hooks) {

    /** Everything off. */
    public static final MdaLoadOptions DEFAULTS = builder().build();

    public MdaLoadOptions {
        allowedNetworks = List.copyOf(allowedNetworks);
        trustPolicy = trustPolicy == null ? null
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(trustPolicy));
    }

    /** True when the integrity digest is checked. */
    public boolean checksIntegrity() {
        return verifyIntegrity || verifySignatures || trustedRuntime;
    }

    /** True when signatures are checked. */
    public boolean checksSignatures() {
        return verifySignatures || trustedRuntime;
    }

    /** A builder with everything off. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link MdaLoadOptions}. */
    public static final class Builder {
        private boolean verifyIntegrity;
        private boolean verifySignatures;
        private boolean trustedRuntime;
        private boolean enforceRequires;
        private List<String> allowedNetworks = List.of();
        private @Nullable Map<String, ?> trustPolicy;
        private @Nullable RekorClient rekorClient;
        private @Nullable SigstoreVerifier sigstoreVerifier;
        private @Nullable DidWebVerifier didWebVerifier;

        private Builder() {
        }

        public Builder verifyIntegrity(boolean v) { verifyIntegrity = v; return this; }
        public Builder verifySignatures(boolean v) { verifySignatures = v; return this; }
        public Builder trustedRuntime(boolean v) { trustedRuntime = v; return this; }
        public Builder enforceRequires(boolean v) { enforceRequires = v; return this; }
        public Builder allowedNetworks(List<String> v) { allowedNetworks = v; return this; }
        /** The policy in its JSON form; an empty map counts as absent. */
        public Builder trustPolicy(@Nullable Map<String, ?> v) { trustPolicy = v; return this; }
        public Builder trustPolicy(TrustPolicy v) { trustPolicy = v.toMap(); return this; }
        public Builder rekorClient(@Nullable RekorClient v) { rekorClient = v; return this; }
        public Builder sigstoreVerifier(@Nullable SigstoreVerifier v) { sigstoreVerifier = v; return this; }
        public Builder didWebVerifier(@Nullable DidWebVerifier v) { didWebVerifier = v; return this; }

        public MdaLoadOptions build() {
            return new MdaLoadOptions(verifyIntegrity, verifySignatures, trustedRuntime, enforceRequires,
                    allowedNetworks, trustPolicy, new MdaSignatures.Hooks(rekorClient, sigstoreVerifier,
                            didWebVerifier));
        }
    }
}
