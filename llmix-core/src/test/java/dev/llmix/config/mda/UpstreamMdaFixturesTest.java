package dev.llmix.config.mda;

import dev.llmix.config.mda.MdaParts;
import dev.llmix.config.mda.MdaYaml;
import static dev.llmix.config.mda.MdaTestSupport.assertCategory;
import static dev.llmix.config.mda.MdaTestSupport.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.CachingStrategy;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.config.LlmConfig;
import dev.llmix.testsupport.ParitySummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every upstream fixture at both layers, as mda-presets.md §15.2 and the upstream manifest.yaml say. */
class UpstreamMdaFixturesTest {

    private static final MdaLoadOptions INTEGRITY = MdaLoadOptions.builder().verifyIntegrity(true).build();

    private static MdaSource mda(String relative, MdaLoadOptions options) throws IOException {
        Path file = upstream().resolve(relative);
        return MdaSourceLoader.load(Files.readAllBytes(file), file.toString(), options, MdaProjectValidator.PERMISSIVE);
    }

    private static MdaSource mda(String relative) throws IOException {
        return mda(relative, MdaLoadOptions.DEFAULTS);
    }

    private static MdaParts parts(String relative) throws IOException {
        Path file = upstream().resolve(relative);
        return MdaParts.extract(Files.readAllBytes(file), file.toString());
    }

    private static String digest(String relative) throws IOException {
        Path file = upstream().resolve(relative);
        MdaParts p = parts(relative);
        return MdaIntegrity.computeHex(MdaYaml.parseFrontmatter(p.frontmatter(), file.toString()), p.body(),
                "sha256");
    }

    private static LlmConfig llmix(String relative, MdaLoadOptions options) {
        return MdaPresetLoader.loadMdaConfig(upstream().resolve(relative), options);
    }

    private static void llmixFails(String relative, MdaLoadOptions options, MdaErrorCategory category) {
        assertCategory(() -> llmix(relative, options), category);
    }

    @Test
    void everyFixtureFileIsCoveredByThisSuite() throws IOException {
        List<String> files;
        try (Stream<Path> s = Files.walk(upstream())) {
            files = s.filter(Files::isRegularFile).map(p -> upstream().relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
        assertThat(files).hasSize(27).contains("manifest.yaml", "valid/sample_preset.mda",
                "community/translation.mda");
    }

    @TestFactory
    Stream<DynamicTest> manifestVerdictsHoldAtTheMdaLayer() throws IOException {
        Map<String, Object> manifest = MdaYaml.parseFrontmatter(Files.readString(upstream().resolve("manifest.yaml")),
                "manifest.yaml");
        ParitySummary summary = new ParitySummary("mda/manifest.yaml");
        List<DynamicTest> tests = new ArrayList<>();
        for (Object o : (List<?>) manifest.get("fixtures")) {
            Map<?, ?> entry = (Map<?, ?>) o;
            String path = (String) entry.get("path");
            String expected = (String) entry.get("expected-error");
            tests.add(DynamicTest.dynamicTest((String) entry.get("id"), () -> {
                if ("accept".equals(entry.get("verdict"))) {
                    assertThat(mda(path).name()).isNotEmpty();
                } else {
                    MdaErrorCategory category = MdaErrorCategory.fromWireName(expected);
                    assertThat(category).isNotNull();
                    assertCategory(() -> {
                        try {
                            mda(path, optionsThatReach(category));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, category);
                }
                summary.ran();
            }));
        }
        assertThat(tests).hasSize(15);
        tests.add(DynamicTest.dynamicTest("summary", () -> {
            summary.print();
            assertThat(summary.ranCount()).isEqualTo(15);
        }));
        return tests.stream();
    }

    /** The manifest's semantic checks need options; the hooks for 14 are M-REKOR-KIND. */
    private static MdaLoadOptions optionsThatReach(MdaErrorCategory category) {
        return switch (category) {
            case INTEGRITY_MISMATCH -> INTEGRITY;
            case REQUIRES_NOT_SATISFIED -> MdaLoadOptions.builder().enforceRequires(true)
                    .allowedNetworks(List.of("api.openai.com")).build();
            case REKOR_ENTRY_TYPE_MISMATCH -> SignatureMocks.rekorKindOptions();
            default -> MdaLoadOptions.DEFAULTS;
        };
    }

    @Test
    void minimalAcceptsAndHasTheSpecDigest() throws IOException {
        assertThat(mda("valid/01-minimal.mda").name()).isEqualTo("minimal-config");
        assertThat(digest("valid/01-minimal.mda"))
                .isEqualTo("c8b8e80fdb2f9aad9f9fbd2621fbecf1ab32e92456be526df1dbf0c7a4331e58");
        assertCategory(() -> uncheck(() -> mda("valid/01-minimal.mda", INTEGRITY)), MdaErrorCategory.SCHEMA_VIOLATION);
        llmixFails("valid/01-minimal.mda", MdaLoadOptions.DEFAULTS, MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
    }

    @Test
    void declaredDigestsVerify() throws IOException {
        assertThat(mda("valid/02-with-integrity.mda", INTEGRITY).integrityVerified()).isTrue();
        assertThat(mda("valid/03-sigstore-signed.mda", INTEGRITY).integrityVerified()).isTrue();
        assertThat(mda("invalid/14-rekor-entry-type-wrong.mda", INTEGRITY).integrityVerified()).isTrue();
        assertThat(mda("valid/sample_preset.mda", INTEGRITY).integrityVerified()).isTrue();
        assertThat(digest("valid/02-with-integrity.mda"))
                .isEqualTo("2259366cf445b4ca014780a0f2b8ee4aa9b8ebea92c1f7eda0c2903159f6ca48");
        assertThat(digest("valid/sample_preset.mda"))
                .isEqualTo("2ec514f3b02a9a3ebb048317edfd945d9ffa1cebf6207e941d42d29f7ff35393");
        llmixFails("valid/02-with-integrity.mda", INTEGRITY, MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
    }

    @Test
    void bomCrlfAndHorizontalRulesNormalize() throws IOException {
        assertThat(mda("valid/05-bom-prefixed.mda").name()).isEqualTo("bom-prefixed");
        assertThat(parts("valid/05-bom-prefixed.mda").body()).isEqualTo("\n# BOM\n\nbody.\n");
        assertThat(digest("valid/05-bom-prefixed.mda"))
                .isEqualTo("d371eb22241a925d5c7a39c181e2bcce0f05698a0c7e39b43245ea489c854a97");
        assertThat(mda("valid/06-crlf-line-endings.mda").name()).isEqualTo("crlf-config");
        assertThat(parts("valid/06-crlf-line-endings.mda").body()).doesNotContain("\r");
        assertThat(digest("valid/06-crlf-line-endings.mda"))
                .isEqualTo("ff4caeda7032376ee7de6982153390e06cb66ae4935abdae546800e6d62e0f31");
        assertThat(mda("valid/07-body-contains-hr.mda").name()).isEqualTo("body-with-hr");
        assertThat(parts("valid/07-body-contains-hr.mda").body().split("\n---\n", -1)).hasSize(3);
        assertThat(digest("valid/07-body-contains-hr.mda"))
                .isEqualTo("60b558d1d2e83c4ae9fc8953ffdb18417508683b6126a6c71bd034a27eaad10c");
        for (String f : List.of("valid/05-bom-prefixed.mda", "valid/06-crlf-line-endings.mda",
                "valid/07-body-contains-hr.mda", "valid/08-empty-body.mda")) {
            llmixFails(f, MdaLoadOptions.DEFAULTS, MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
        }
    }

    @Test
    void emptyBodyHasTheSpecCanonicalText() throws IOException {
        MdaParts p = parts("valid/08-empty-body.mda");
        assertThat(p.body()).isEmpty();
        String canonical = MdaIntegrity.canonicalText(MdaYaml.parseFrontmatter(p.frontmatter(), "08"), p.body());
        assertThat(canonical).isEqualTo("---\n{\"description\":\"Frontmatter-only source with an empty body string "
                + "after the closing fence.\",\"name\":\"empty-body\"}\n---\n");
        assertThat(digest("valid/08-empty-body.mda"))
                .isEqualTo("7c6c887bcad569a0a9274dd2c6d9e6693cfbcd46686973aca0a5e49a45c797a6");
    }

    @Test
    void requiresNetworkFixture04() throws IOException {
        for (List<String> allowed : List.of(List.of("api.openai.com"), List.of("*.openai.com"), List.of("*"))) {
            assertThat(mda("valid/04-with-requires-network.mda", enforce(allowed)).requiresNetwork())
                    .isEqualTo(List.of("api.openai.com"));
        }
        assertCategory(() -> uncheck(() -> mda("valid/04-with-requires-network.mda", enforce(List.of()))),
                MdaErrorCategory.REQUIRES_NOT_SATISFIED);
        LlmConfig config = llmix("valid/04-with-requires-network.mda", MdaLoadOptions.DEFAULTS);
        assertThat(config).isEqualTo(LlmConfig.builder("openai", "gpt-5-mini")
                .description("Source declaring a top-level requires.network allow-list.").build());
    }

    @Test
    void samplePresetProjects() {
        for (MdaLoadOptions options : List.of(MdaLoadOptions.DEFAULTS, INTEGRITY,
                enforce(List.of("api.openai.com")))) {
            LlmConfig c = llmix("valid/sample_preset.mda", options);
            assertThat(c.provider()).isEqualTo("openai");
            assertThat(c.model()).isEqualTo("gpt-5-mini");
            assertThat(c.common().temperature()).isEqualTo(0.7);
            assertThat(c.common().maxOutputTokens()).isEqualTo(4096);
            assertThat(c.common()).isEqualTo(dev.llmix.config.CommonParams.builder().temperature(0.7)
                    .maxOutputTokens(4096).build());
            assertThat(c.providerOptions()).isEqualTo(Map.of("openai", Map.of("reasoningEffort", "medium")));
            assertThat(c.caching()).isEqualTo(dev.llmix.config.CachingConfig.of(CachingStrategy.MEMORY));
            assertThat(c.description()).isEqualTo("Fast cheap multi-tool calls for everyday agent work. Use when "
                    + "latency matters more than reasoning depth.");
            assertThat(c.tags()).isNull();
            assertThat(c.timeout()).isNull();
        }
        llmixFails("valid/sample_preset.mda", enforce(List.of()), MdaErrorCategory.REQUIRES_NOT_SATISFIED);
        Path validDir = upstream().resolve("valid");
        assertThat(MdaPresetLoader.loadMdaConfigPreset("sample_preset", validDir).model()).isEqualTo("gpt-5-mini");
        assertThat(MdaPresetLoader.loadMdaConfigPreset("sample_preset.mda", validDir).model())
                .isEqualTo("gpt-5-mini");
    }

    @Test
    void extractionAndYamlFailuresAreTheSameAtBothLayers() {
        for (MdaLoadOptions o : List.of(MdaLoadOptions.DEFAULTS, INTEGRITY)) {
            llmixFails("invalid/09-unterminated-frontmatter.mda", o, MdaErrorCategory.UNTERMINATED_FRONTMATTER);
            llmixFails("invalid/10-yaml-parse-error.mda", o, MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR);
            llmixFails("invalid/12-signature-digest-mismatch.mda", o, MdaErrorCategory.SIGNATURE_DIGEST_MISMATCH);
            llmixFails("invalid/13-non-utf8.mda", o, MdaErrorCategory.INVALID_ENCODING);
        }
    }

    @Test
    void integrityMismatchOnlyWhenRequested() throws IOException {
        assertThat(mda("invalid/11-integrity-mismatch.mda").name()).isEqualTo("integrity-mismatch");
        assertCategory(() -> uncheck(() -> mda("invalid/11-integrity-mismatch.mda", INTEGRITY)),
                MdaErrorCategory.INTEGRITY_MISMATCH)
                .satisfies(e -> assertThat(((MdaConfigException) e).details()).containsEntry("computed",
                        "aabae2e32fd8745c199768577496a568517f250169b620b5eb6683642b98108e"));
        llmixFails("invalid/11-integrity-mismatch.mda", MdaLoadOptions.DEFAULTS,
                MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
        llmixFails("invalid/11-integrity-mismatch.mda", INTEGRITY, MdaErrorCategory.INTEGRITY_MISMATCH);
    }

    @Test
    void rekorKindFixtureAcceptsByDefault() throws IOException {
        assertThat(mda("invalid/14-rekor-entry-type-wrong.mda").signatures()).hasSize(1);
        llmixFails("invalid/14-rekor-entry-type-wrong.mda", MdaLoadOptions.DEFAULTS,
                MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
        llmixFails("invalid/14-rekor-entry-type-wrong.mda", SignatureMocks.rekorKindOptions(),
                MdaErrorCategory.REKOR_ENTRY_TYPE_MISMATCH);
    }

    @Test
    void networkViolationFixture15() throws IOException {
        assertThat(mda("invalid/15-network-violation.mda").name()).isEqualTo("network-violation");
        assertCategory(() -> uncheck(() -> mda("invalid/15-network-violation.mda", enforce(List.of("api.openai.com")))),
                MdaErrorCategory.REQUIRES_NOT_SATISFIED).hasMessageContaining("api.disallowed.example.com");
        assertThat(llmix("invalid/15-network-violation.mda", MdaLoadOptions.DEFAULTS)).isEqualTo(
                LlmConfig.builder("openai", "gpt-5-mini").description("requires.network lists a host that is NOT in "
                        + "the operator allow-list; §10-4 MUST reject.").build());
        llmixFails("invalid/15-network-violation.mda", enforce(List.of("api.openai.com")),
                MdaErrorCategory.REQUIRES_NOT_SATISFIED);
    }

    @Test
    void communityFixtures() throws IOException {
        assertThat(mda("community/ai-script-scoped-blocks.mda").name()).isEqualTo("ai-script-scoped-blocks");
        assertThat(digest("community/ai-script-scoped-blocks.mda"))
                .isEqualTo("5d1665a568ebf2651373c7c6bbfa8a7c217d40c853c25850caf854563fae73f4");
        llmixFails("community/ai-script-scoped-blocks.mda", MdaLoadOptions.DEFAULTS,
                MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
        for (String f : List.of("classification", "code-review", "content-moderation", "embedding", "rag-retrieval",
                "summarization", "translation", "integrity-multiline-body")) {
            String path = "community/" + f + ".mda";
            assertCategory(() -> uncheck(() -> mda(path)), MdaErrorCategory.SCHEMA_VIOLATION);
            llmixFails(path, MdaLoadOptions.DEFAULTS, MdaErrorCategory.SCHEMA_VIOLATION);
        }
        String allowlist = "community/requires-network-allowlist.mda";
        assertThat(mda(allowlist).name()).isEqualTo("requires-network-allowlist-community");
        assertCategory(() -> uncheck(() -> mda(allowlist, enforce(List.of("*")))),
                MdaErrorCategory.REQUIRES_NOT_SATISFIED);
        llmixFails(allowlist, MdaLoadOptions.DEFAULTS, MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
    }

    @Test
    void everyValidFixtureLoadsAndEveryInvalidOneFailsTyped() throws IOException {
        try (Stream<Path> s = Files.list(upstream().resolve("valid"))) {
            for (Path p : s.toList()) {
                assertThat(MdaSourceLoader.load(Files.readAllBytes(p), p.toString(), MdaLoadOptions.DEFAULTS,
                        MdaProjectValidator.PERMISSIVE).name()).as(p.toString()).isNotEmpty();
            }
        }
        try (Stream<Path> s = Files.list(upstream().resolve("invalid"))) {
            for (Path p : s.toList()) {
                String id = p.getFileName().toString().substring(0, 2);
                MdaErrorCategory expected = switch (id) {
                    case "09" -> MdaErrorCategory.UNTERMINATED_FRONTMATTER;
                    case "10" -> MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR;
                    case "11" -> MdaErrorCategory.INTEGRITY_MISMATCH;
                    case "12" -> MdaErrorCategory.SIGNATURE_DIGEST_MISMATCH;
                    case "13" -> MdaErrorCategory.INVALID_ENCODING;
                    case "14" -> MdaErrorCategory.REKOR_ENTRY_TYPE_MISMATCH;
                    case "15" -> MdaErrorCategory.REQUIRES_NOT_SATISFIED;
                    default -> throw new AssertionError("unexpected fixture " + p);
                };
                assertCategory(() -> uncheck(() -> MdaSourceLoader.load(Files.readAllBytes(p), p.toString(),
                        optionsThatReach(expected), MdaProjectValidator.PERMISSIVE)), expected);
            }
        }
        assertThatThrownBy(() -> llmix("community/classification.mda", MdaLoadOptions.DEFAULTS))
                .isInstanceOf(InvalidConfigException.class);
    }

    static MdaLoadOptions enforce(List<String> allowed) {
        return MdaLoadOptions.builder().enforceRequires(true).allowedNetworks(allowed).build();
    }

    interface IoCall {
        Object call() throws IOException;
    }

    static void uncheck(IoCall call) {
        try {
            call.call();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
