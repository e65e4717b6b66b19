package dev.llmix.config.registry;

import dev.llmix.internal.config.RevisionIds;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.internal.json.StrictJson;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An {@code llmix-trust-manifest}: a release-time document deployed outside the registry that pins the registry
 * root (expected revision and root digest) and names its trust policy and freshness floor. Turn it into signed-root
 * options with {@link #toOptions()} and add the hooks.
 *
 * @param expectedRootDigest lowercase hex of {@code expectedRootDigest}
 * @param trustPolicy        {@code registryRootTrustPolicy}
 * @param expectedRevision   {@code registryRoot.revision}
 * @param minimumRevision    the larger of {@code minimumRevision} and {@code highWatermark}, or null
 * @param minimumPublishedAt {@code minimumPublishedAt}, or null
 */
public record TrustManifest(String expectedRootDigest, Map<String, ?> trustPolicy, String expectedRevision,
        @Nullable String minimumRevision, @Nullable String minimumPublishedAt) {

    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    /**
     * Parses and validates a trust manifest.
     *
     * @throws InvalidConfigException naming the offending field
     */
    public static TrustManifest parse(byte[] json, String source) {
        return parse(StrictJson.parseObject(json, source), source);
    }

    /** Validates a trust manifest in its JSON-like form. */
    public static TrustManifest parse(Map<String, ?> m, String source) {
        String where = "Invalid LLMix trust manifest " + source + ": ";
        require("llmix-trust-manifest".equals(m.get("kind")), where + "kind must be llmix-trust-manifest");
        require(m.get("version") instanceof Number v && v.doubleValue() == 1, where + "version must be 1");
        for (String k : new String[] {"expectedRootDigest", "sourceSetDigest", "releasePlanDigest"}) {
            require(m.get(k) instanceof String s && DIGEST.matcher(s).matches(), where + k
                    + " must be sha256:<64 lowercase hex>");
        }
        require(m.get("registryRootTrustPolicy") instanceof Map<?, ?>, where
                + "registryRootTrustPolicy must be an object");
        require(m.get("rekorPolicy") == null || m.get("rekorPolicy") instanceof Map<?, ?>, where
                + "rekorPolicy must be null or an object");
        for (String k : new String[] {"minimumRevision", "minimumPublishedAt", "highWatermark"}) {
            Object v = m.get(k);
            require(v == null || (v instanceof String s && !s.isEmpty()), where + k
                    + " must be null or a non-empty string");
        }
        require(m.containsKey("registryRootSignerIdentity"), where + "registryRootSignerIdentity is required");
        require(m.get("registryRoot") instanceof Map<?, ?>, where + "registryRoot must be an object");
        Map<?, ?> root = (Map<?, ?>) m.get("registryRoot");
        for (String k : new String[] {"path", "revision", "highWatermark"}) {
            require(root.get(k) instanceof String s && !s.isEmpty(), where + "registryRoot." + k
                    + " must be a non-empty string");
        }
        require(root.get("publishedAt") instanceof String p && RegistryRootVerifier.parseInstant(p) != null, where
                + "registryRoot.publishedAt must be a timestamp");
        require(m.get("releasePlan") instanceof Map<?, ?>, where + "releasePlan must be an object");
        Map<?, ?> plan = (Map<?, ?>) m.get("releasePlan");
        require(plan.get("path") instanceof String s && !s.isEmpty(), where
                + "releasePlan.path must be a non-empty string");
        require(plan.get("sourceCount") instanceof Number n && n.doubleValue() >= 0
                && n.doubleValue() == Math.rint(n.doubleValue()), where
                + "releasePlan.sourceCount must be an integer >= 0");
        String minimum = (String) m.get("minimumRevision");
        String watermark = (String) m.get("highWatermark");
        if (minimum != null && watermark != null) {
            minimum = RevisionIds.compare(watermark, minimum) > 0 ? watermark : minimum;
        } else if (minimum == null) {
            minimum = watermark;
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> policy = (Map<String, ?>) m.get("registryRootTrustPolicy");
        return new TrustManifest(((String) m.get("expectedRootDigest")).substring("sha256:".length()), policy,
                (String) root.get("revision"), minimum, (String) m.get("minimumPublishedAt"));
    }

    /** Signed-root options carrying this manifest's anchors; add hooks before {@code build()}. */
    public RegistryRootVerificationOptions.Builder toOptions() {
        return RegistryRootVerificationOptions.builder().trustPolicy(trustPolicy).expectedRevision(expectedRevision)
                .expectedRootDigest(expectedRootDigest).minimumRevision(minimumRevision)
                .minimumPublishedAt(minimumPublishedAt);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new InvalidConfigException(message);
        }
    }
}
