package dev.llmix.config.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.ConfigSecurityException;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.internal.json.Jcs;
import dev.llmix.config.mda.MdaIntegrity;
import dev.llmix.config.mda.MdaTestSupport;
import dev.llmix.config.mda.OfflineDidWebVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rebuilds the spec's worked example (config-registry.md §8.2) from the upstream fixtures, read in place, and checks
 * every published digest, the signature and the pinned root digest (checks 18 and 19).
 */
@SuppressWarnings("unchecked")
class WorkedExampleParityTest {

    static final String REV = "2026-05-10T12-00-00Z_0a1b2c3d";
    static final String ROOT_DIGEST = "961540a5ab820df9d92d4b51a83bc58e18eb681827ee22236e24202e383494be";
    static final String SIGNATURE = "TU/M9rU1jYJ79pgVoTaLWNFG+N25JPTtZL8X5Dqd/KWMG4aLNHYdwsxkzQClFhR/ot9P4f8gEDa0YNlFZE"
            + "rpCw==";
    static final String SAMPLE_JSON = "{\n  \"description\": \"Source declaring a top-level requires.network allow-list."
            + "\",\n  \"model\": \"gpt-5-mini\",\n  \"provider\": \"openai\"\n}\n";
    static final String PRESET_JSON = "{\n  \"caching\": {\n    \"strategy\": \"memory\"\n  },\n  \"common\": {\n"
            + "    \"maxOutputTokens\": 4096,\n    \"temperature\": 0.7\n  },\n  \"description\": \"Fast cheap multi-tool "
            + "calls for everyday agent work. Use when latency matters more than reasoning depth.\",\n  \"model\": "
            + "\"gpt-5-mini\",\n  \"provider\": \"openai\",\n  \"providerOptions\": {\n    \"openai\": {\n"
            + "      \"reasoningEffort\": \"medium\"\n    }\n  }\n}\n";

    @TempDir
    Path root;
    RegistryBuilder.Revision a;

    @BeforeEach
    void build() throws IOException {
        Path valid = MdaTestSupport.upstream().resolve("valid");
        a = new RegistryBuilder(root).revision(REV)
                .preset("demo/sample", Files.readAllBytes(valid.resolve("04-with-requires-network.mda")), SAMPLE_JSON)
                .preset("demo/sample_preset", Files.readAllBytes(valid.resolve("sample_preset.mda")), PRESET_JSON);
        a.write();
        a.activate();
    }

    /** files[] in the TypeScript publisher's (ICU) order, which puts sample_preset.json before sample.json. */
    private List<Map<String, Object>> icuOrderedFiles() {
        List<Map<String, Object>> files = new ArrayList<>((List<Map<String, Object>>) a.payload().get("files"));
        files.sort(Comparator.comparing((Map<String, Object> f) -> (String) f.get("role"))
                .thenComparing(f -> ((String) f.get("path")).contains("sample_preset") ? 0 : 1));
        return files;
    }

    private RegistryRootVerificationOptions.Builder s() {
        return RegistryRootVerificationOptions.builder().trustPolicy(RegistryFixtures.ROOT_POLICY)
                .didWebVerifier(OfflineDidWebVerifier.of(List.of(MdaTestSupport.didDocument("registry.example.com",
                        RegistryBuilder.ROOT_KEY_ID))));
    }

    private ConfigRegistryManager open(RegistryRootVerificationOptions.Builder options) {
        return ConfigRegistryManager.open(root, ConfigRegistryOpenOptions.builder().signedRoot(options.build()).build());
    }

    @Test
    void everyPublishedDigestMatchesTheSpec() {
        Path dir = a.dir();
        assertThat(RegistryTestSupport.sha(dir.resolve("resolved/demo/sample.json")))
                .isEqualTo("ec981f25cca35986172dad6f5ccce4268b2bcb0e8c07ebece5b0438b37a6b7e1");
        assertThat(RegistryTestSupport.sha(dir.resolve("resolved/demo/sample_preset.json")))
                .isEqualTo("400ec57e1d5983b9f0f762549a840cd30f28a5cc263ac50d28c93ae84a507997");
        assertThat(RegistryTestSupport.sha(dir.resolve("manifest.json")))
                .isEqualTo("f391e46dee67525fb4a332131fa6fa356378f6724da3bbdce5198c0fde5bb1a1");
        assertThat(RegistryTestSupport.sha(root.resolve("current.json")))
                .isEqualTo("3d8618f8a3ef9dea7504d636afe125c3b554c0fdcb9d88e9bfdadccfc07bcfc6");
        String canonical = Jcs.canonicalize(a.payload(icuOrderedFiles()));
        assertThat(canonical.getBytes(StandardCharsets.UTF_8)).hasSize(1226);
        assertThat(MdaIntegrity.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("c8e7a7722cb2882b4cc7b4800e97e579dea273bbda5d60fb2a3650e8124be6dc");
    }

    @Test
    void rootIsByteExactAndOpensPinned() {
        byte[] rootBytes = a.writeRoot(a.payload(icuOrderedFiles()));
        assertThat(rootBytes).hasSize(2274);
        assertThat(MdaIntegrity.sha256Hex(rootBytes)).isEqualTo(ROOT_DIGEST);
        assertThat(new String(rootBytes, StandardCharsets.UTF_8)).contains(SIGNATURE);
        ConfigRegistryManager m = open(s().expectedRootDigest(ROOT_DIGEST));
        assertThat(m.availablePresets()).containsExactly("demo/sample", "demo/sample_preset");
        assertThat(m.getPreset("demo", "sample_preset").common().maxOutputTokens()).isEqualTo(4096);
        assertThat(open(s().expectedRootDigest("sha256:" + ROOT_DIGEST.toUpperCase(java.util.Locale.ROOT)))
                .activeRevision()).isEqualTo(REV);
        assertThatThrownBy(() -> open(s().expectedRootDigest("0".repeat(64))))
                .isInstanceOf(ConfigSecurityException.class).hasMessageContaining("expected root digest");
    }

    @Test
    void filesAreHashedInDocumentOrderNeverReSorted() {
        Map<String, Object> envelope = RegistryBuilder.envelope(a.payload(icuOrderedFiles()));
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = new java.util.LinkedHashMap<>((Map<String, Object>) envelope.get("payload"));
        List<Map<String, Object>> byCodePoint = new ArrayList<>(icuOrderedFiles());
        byCodePoint.sort(Comparator.comparing(f -> (String) f.get("path")));
        payload.put("files", byCodePoint);
        Map<String, Object> reordered = new java.util.LinkedHashMap<>(envelope);
        reordered.put("payload", payload);
        RegistryTestSupport.writeJson(a.dir().resolve("registry-root.json"), reordered);
        // same signature and digest, different files[] order: a consumer that re-sorted would accept this
        assertThatThrownBy(() -> open(s())).isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("payload digest mismatch");
    }
}
