package dev.llmix.config.registry;

import static dev.llmix.config.registry.RegistryBuilder.REV_A;
import static dev.llmix.config.registry.RegistryBuilder.REV_B;
import static dev.llmix.config.registry.RegistryTestSupport.json;
import static dev.llmix.config.registry.RegistryTestSupport.point;
import static dev.llmix.config.registry.RegistryTestSupport.rev;
import static dev.llmix.config.registry.RegistryTestSupport.sha;
import static dev.llmix.config.registry.RegistryTestSupport.write;
import static dev.llmix.config.registry.RegistryTestSupport.writeJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.ConfigSecurityException;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.internal.json.Jcs;
import dev.llmix.config.mda.MdaConfigException;
import dev.llmix.config.mda.MdaErrorCategory;
import dev.llmix.config.mda.OfflineDidWebVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config-registry.md §10.3: signed root, tampering, freshness, fail closed, trust manifests. */
@SuppressWarnings("unchecked")
class SignedRegistryTest {

    @TempDir
    Path root;

    @BeforeEach
    void copyRegistry() {
        RegistryFixtures.copy(root);
    }

    static OfflineDidWebVerifier verifier() {
        return OfflineDidWebVerifier.fromFiles(List.of(RegistryFixtures.trustDir()
                .resolve("did-registry.example.com.json")));
    }

    static RegistryRootVerificationOptions.Builder s() {
        return RegistryRootVerificationOptions.builder().trustPolicy(RegistryFixtures.ROOT_POLICY)
                .didWebVerifier(verifier());
    }

    private ConfigRegistryManager open(RegistryRootVerificationOptions.Builder options) {
        return ConfigRegistryManager.open(root, ConfigRegistryOpenOptions.builder().signedRoot(options.build())
                .build());
    }

    private Path rootFile(String revision) {
        return rev(root, revision).resolve("registry-root.json");
    }

    private void editRoot(String revision, Consumer<Map<String, Object>> edit) {
        Map<String, Object> envelope = json(rootFile(revision));
        edit.accept(envelope);
        writeJson(rootFile(revision), envelope);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> payload(Map<String, Object> envelope) {
        return (Map<String, Object>) envelope.get("payload");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> files(Map<String, Object> envelope) {
        return (List<Map<String, Object>>) payload(envelope).get("files");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sig(Map<String, Object> envelope) {
        return ((List<Map<String, Object>>) envelope.get("signatures")).get(0);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> openFails(RegistryRootVerificationOptions.Builder o,
            Class<? extends Throwable> type) {
        return assertThatThrownBy(() -> open(o)).isExactlyInstanceOf(type);
    }

    private static void causeCategory(Throwable e, MdaErrorCategory category) {
        assertThat(e.getMessage()).startsWith("Registry root signature verification failed:");
        assertThat(e.getCause()).isInstanceOf(MdaConfigException.class);
        assertThat(((MdaConfigException) e.getCause()).category()).isEqualTo(category);
    }

    @Test
    void opensWithTheSignedRoot() {
        ConfigRegistryManager m = open(s());
        assertThat(m.getPreset("demo", "sample_preset").model()).isEqualTo("gpt-5-mini");
        assertThat(m.status().signed()).isTrue();
    }

    @Test
    void expectedRootDigestForms() {
        String digest = sha(rootFile(REV_A));
        assertThat(open(s().expectedRootDigest(digest)).activeRevision()).isEqualTo(REV_A);
        assertThat(open(s().expectedRootDigest("sha256:" + digest.toUpperCase(Locale.ROOT))).activeRevision())
                .isEqualTo(REV_A);
        openFails(s().expectedRootDigest("0".repeat(64)), ConfigSecurityException.class)
                .hasMessageContaining("expected root digest");
        assertThatThrownBy(() -> s().expectedRootDigest("sha256:abc").build())
                .isExactlyInstanceOf(InvalidConfigException.class);
    }

    @Test
    void reRenderedEnvelopeOpensOnlyWithoutThePin() throws IOException {
        String digest = sha(rootFile(REV_A));
        Map<String, Object> envelope = json(rootFile(REV_A));
        write(rootFile(REV_A), Jcs.canonicalize(envelope));
        assertThat(open(s()).activeRevision()).isEqualTo(REV_A);
        openFails(s().expectedRootDigest(digest), ConfigSecurityException.class);
    }

    @Test
    void signatureVerdicts() throws IOException {
        openFails(RegistryRootVerificationOptions.builder().trustPolicy(RegistryFixtures.ROOT_POLICY)
                .didWebVerifier(input -> false), ConfigSecurityException.class)
                .satisfies(e -> causeCategory(e, MdaErrorCategory.NO_TRUSTED_SIGNATURE));
        openFails(RegistryRootVerificationOptions.builder().trustPolicy(Map.of("version", 1, "trustedSigners",
                List.of(Map.of("type", "did-web", "domain", "other.example.com")))).didWebVerifier(verifier()),
                ConfigSecurityException.class).satisfies(e -> causeCategory(e, MdaErrorCategory.NO_TRUSTED_SIGNATURE));
        openFails(RegistryRootVerificationOptions.builder().trustPolicy(RegistryFixtures.ROOT_POLICY),
                ConfigSecurityException.class).satisfies(e -> causeCategory(e,
                        MdaErrorCategory.TRUST_POLICY_VIOLATION));
        editRoot(REV_A, e -> {
            String sig = (String) sig(e).get("signature");
            sig(e).put("signature", (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1));
        });
        openFails(s(), ConfigSecurityException.class).satisfies(e -> causeCategory(e,
                MdaErrorCategory.NO_TRUSTED_SIGNATURE));
    }

    @Test
    void missingRootIsNotFound() throws IOException {
        Files.delete(rootFile(REV_A));
        openFails(s(), ConfigNotFoundException.class);
    }

    @Test
    void envelopeTamperingIsRejected() {
        List<Consumer<Map<String, Object>>> invalid = List.of(
                e -> ((Map<String, Object>) payload(e).get("current")).put("revision", "other"),
                e -> ((Map<String, Object>) payload(e).get("current")).put("manifest_sha256", "0".repeat(64)),
                e -> ((Map<String, Object>) payload(e).get("current")).put("sha256", "0".repeat(64)),
                e -> ((Map<String, Object>) payload(e).get("manifest")).put("path", "compiled/r2/manifest.json"),
                e -> {
                    Map<String, Object> dup = new java.util.LinkedHashMap<>(files(e).get(0));
                    dup.put("sha256", "1".repeat(64));
                    files(e).add(dup);
                },
                e -> files(e).get(0).put("path", "compiled/" + REV_A + "/source/../current.json"),
                e -> files(e).get(0).put("role", "source"),
                e -> payload(e).put("published_at", "2026-05-10T12:00:01.000Z"),
                e -> e.put("integrity", Map.of("algorithm", "sha256", "digest", "sha256:" + "0".repeat(64))),
                e -> sig(e).put("payload-type", "application/vnd.other.thing+json"),
                e -> sig(e).put("algorithm", "hmac"),
                e -> e.put("schema_version", 2));
        for (int i = 0; i < invalid.size(); i++) {
            RegistryFixtures.copy(root);
            editRoot(REV_A, invalid.get(i));
            openFails(s(), InvalidConfigException.class).as("case " + i);
        }
        for (String outside : List.of("compiled/" + REV_B + "/resolved/demo/sample.json", "current.json")) {
            RegistryFixtures.copy(root);
            editRoot(REV_A, e -> files(e).get(0).put("path", outside));
            openFails(s(), ConfigSecurityException.class).hasMessageContaining("outside the active compiled revision");
        }
    }

    @Test
    void liveBindingTampering() throws IOException {
        String compact = "{\"manifest_sha256\":\"" + sha(rev(root, REV_A).resolve("manifest.json")) + "\",\"revision\":\""
                + REV_A + "\"}";
        write(root.resolve("current.json"), compact);
        openFails(s(), ConfigSecurityException.class).hasMessageContaining("current binding digest mismatch");

        RegistryFixtures.copy(root);
        RegistryTestSupport.replaceResolved(root, REV_A, "demo/sample",
                "{\"provider\":\"openai\",\"model\":\"evil\",\"description\":\"d\"}");
        openFails(s(), ConfigSecurityException.class).hasMessageContaining("current binding does not match");

        RegistryFixtures.copy(root);
        write(rev(root, REV_A).resolve("source/demo/sample.mda"), "tampered");
        openFails(s(), ConfigSecurityException.class).hasMessageContaining("Registry root file digest mismatch");

        RegistryFixtures.copy(root);
        Map<String, Object> envelope = json(rootFile(REV_A));
        Map<String, Object> payload = payload(envelope);
        List<Map<String, Object>> fewer = new ArrayList<>(files(envelope));
        fewer.remove(0);
        payload.put("files", fewer);
        writeJson(rootFile(REV_A), RegistryBuilder.envelope(payload));
        openFails(s(), ConfigSecurityException.class).hasMessageContaining("file digest set does not match");
    }

    @Test
    void freshnessAnchors() {
        openFails(s().expectedRevision("other"), ConfigSecurityException.class);
        openFails(s().minimumRevision("2026-05-10T12-00-01Z_0a1b2c3d"), ConfigSecurityException.class)
                .hasMessageContaining("older than minimum");
        assertThat(open(s().minimumRevision(REV_A)).activeRevision()).isEqualTo(REV_A);
        openFails(s().minimumPublishedAt("2026-05-10T12:01:00Z"), ConfigSecurityException.class);
        assertThat(open(s().minimumPublishedAt("2026-05-10T12:00:00Z")).activeRevision()).isEqualTo(REV_A);
        assertThat(open(s().minimumPublishedAt("1778414400000")).activeRevision()).isEqualTo(REV_A);
        openFails(s().minimumPublishedAt("yesterday"), ConfigSecurityException.class);
        AtomicReference<String> seen = new AtomicReference<>();
        openFails(s().highWatermark(input -> {
            seen.set(input.canonicalPayload());
            return false;
        }), ConfigSecurityException.class);
        assertThat(seen.get()).isEqualTo(Jcs.canonicalize(payload(json(rootFile(REV_A)))));
        assertThat(RegistryTestSupport.sha(rootFile(REV_A))).isNotEmpty();
        assertThat(dev.llmix.config.mda.MdaIntegrity.sha256Hex(seen.get().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(json(rootFile(REV_A)).get("payload_sha256"));
    }

    @Test
    void refreshFailsClosedInSignedModeAndOpenInUnsignedMode() {
        ConfigRegistryManager signed = open(s());
        ConfigRegistryManager unsigned = ConfigRegistryManager.open(root);
        editRoot(REV_B, e -> ((Map<String, Object>) payload(e).get("current")).put("sha256", "0".repeat(64)));
        point(root, REV_B);
        assertThatThrownBy(() -> signed.getPreset("demo", "sample")).isInstanceOf(InvalidConfigException.class);
        assertThat(signed.activeRevision()).isEqualTo(REV_A);
        assertThat(signed.lastReloadError()).isPresent();
        // unsigned mode does not read the root: the revision itself is fine, so it switches
        assertThat(unsigned.getPreset("demo", "sample_preset").model()).isEqualTo("gpt-5");

        RegistryFixtures.copy(root);
        point(root, REV_B);
        assertThat(signed.getPreset("demo", "sample_preset").model()).isEqualTo("gpt-5");
        assertThat(signed.lastReloadError()).isEmpty();
    }

    @Test
    void unsignedModeServesTheOldRevisionWhenTheNewOneIsBroken() {
        ConfigRegistryManager signed = open(s());
        ConfigRegistryManager unsigned = ConfigRegistryManager.open(root);
        write(rev(root, REV_B).resolve("resolved/chat/reply.json"), "{}");
        point(root, REV_B);
        assertThat(unsigned.getPreset("demo", "sample_preset").model()).isEqualTo("gpt-5-mini");
        assertThat(unsigned.lastReloadError()).get().isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> signed.getPreset("demo", "sample_preset")).isInstanceOf(ConfigSecurityException.class)
                .hasMessageContaining("Registry root file digest mismatch");
        assertThat(signed.activeRevision()).isEqualTo(REV_A);
    }

    private static Map<String, Object> trustManifest(String digest) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("version", 1);
        m.put("kind", "llmix-trust-manifest");
        m.put("expectedRootDigest", digest);
        m.put("sourceSetDigest", "sha256:" + "1".repeat(64));
        m.put("releasePlanDigest", "sha256:" + "2".repeat(64));
        m.put("registryRootTrustPolicy", RegistryFixtures.ROOT_POLICY);
        m.put("rekorPolicy", null);
        m.put("minimumRevision", null);
        m.put("minimumPublishedAt", null);
        m.put("highWatermark", null);
        m.put("registryRootSignerIdentity", "did:web:registry.example.com");
        m.put("registryRoot", Map.of("path", "config/llm/compiled/" + REV_A + "/registry-root.json", "revision", REV_A,
                "publishedAt", "2026-05-10T12:00:00.000Z", "highWatermark", REV_A));
        m.put("releasePlan", Map.of("path", "release-plan.json", "sourceCount", 2));
        return m;
    }

    private static TrustManifest parse(Map<String, Object> m) {
        return TrustManifest.parse(Jcs.pretty(m).getBytes(StandardCharsets.UTF_8), "trust.json");
    }

    @Test
    void trustManifestPinsTheRelease() {
        TrustManifest tm = parse(trustManifest("sha256:" + sha(rootFile(REV_A))));
        ConfigRegistryManager m = open(tm.toOptions().didWebVerifier(verifier()));
        assertThat(m.activeRevision()).isEqualTo(REV_A);
        point(root, REV_B);
        assertThatThrownBy(() -> m.getPreset("demo", "sample")).isInstanceOf(ConfigSecurityException.class);
        assertThat(m.activeRevision()).isEqualTo(REV_A);
    }

    @Test
    void invalidTrustManifests() {
        String digest = "sha256:" + "a".repeat(64);
        List<Consumer<Map<String, Object>>> bad = List.of(m -> m.put("kind", "other"), m -> m.put("version", 2),
                m -> m.put("expectedRootDigest", "a".repeat(64)),
                m -> m.put("releasePlan", Map.of("path", "p", "sourceCount", -1)),
                m -> m.put("registryRoot", Map.of("path", "p", "revision", REV_A, "publishedAt", "not a time",
                        "highWatermark", REV_A)));
        for (Consumer<Map<String, Object>> edit : bad) {
            Map<String, Object> m = trustManifest(digest);
            edit.accept(m);
            assertThatThrownBy(() -> parse(m)).isExactlyInstanceOf(InvalidConfigException.class);
        }
        Map<String, Object> m = trustManifest(digest);
        m.put("minimumRevision", "9");
        m.put("highWatermark", "10");
        assertThat(parse(m).minimumRevision()).isEqualTo("10");
        assertThat(parse(m).expectedRootDigest()).isEqualTo("a".repeat(64));
    }
}
