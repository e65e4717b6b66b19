package dev.llmix.config.mda;

import dev.llmix.config.mda.MdaParts;
import dev.llmix.config.mda.MdaYaml;
import static dev.llmix.config.mda.MdaTestSupport.assertCategory;
import static dev.llmix.config.mda.MdaTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** mda-presets.md §2–§5 and §15.4 checks 1–4, 6 at the MDA layer (no fixture files needed). */
class MdaSourceLoaderTest {

    private static final String ZEROS = "0".repeat(64);

    private static MdaSource load(String text, MdaLoadOptions options) {
        return MdaSourceLoader.load(utf8(text), "test.mda", options, MdaProjectValidator.PERMISSIVE);
    }

    private static MdaSource load(String text) {
        return load(text, MdaLoadOptions.DEFAULTS);
    }

    @Test
    void bodyOnlyFileHasNoFrontmatter() {
        assertCategory(() -> load("# body only\n"), MdaErrorCategory.MISSING_REQUIRED_FRONTMATTER);
    }

    @Test
    void openingFenceMustBeExactlyThreeDashes() {
        assertCategory(() -> load("--- \nname: a\n---\n"), MdaErrorCategory.MISSING_REQUIRED_FRONTMATTER);
        assertCategory(() -> load("----\nname: a\n---\n"), MdaErrorCategory.MISSING_REQUIRED_FRONTMATTER);
        assertCategory(() -> load("\n---\nname: a\n---\n"), MdaErrorCategory.MISSING_REQUIRED_FRONTMATTER);
    }

    @Test
    void emptyFrontmatterCountsAsMissing() {
        assertCategory(() -> load("---\n---\n"), MdaErrorCategory.MISSING_REQUIRED_FRONTMATTER);
    }

    @Test
    void closingFenceWithTrailingSpaceDoesNotClose() {
        assertCategory(() -> load("---\nname: a\n--- \n"), MdaErrorCategory.UNTERMINATED_FRONTMATTER);
        assertThat(load("---\nname: a\n---").name()).isEqualTo("a");
    }

    @Test
    void loneCrLineEndingsNormalize() {
        assertThat(load("---\rname: cr-only\r---\r\rbody\r").name()).isEqualTo("cr-only");
    }

    @Test
    void bomOnlyAtOffsetZeroIsDropped() {
        byte[] bytes = utf8("\uFEFF---\nname: bom\n---\n");
        assertThat(MdaSourceLoader.load(bytes, "b", MdaLoadOptions.DEFAULTS, MdaProjectValidator.PERMISSIVE).name())
                .isEqualTo("bom");
    }

    @Test
    void malformedUtf8AnywhereIsInvalidEncoding() {
        byte[] bytes = utf8("---\nname: a\n---\nbody x\n");
        bytes[bytes.length - 3] = (byte) 0xC0;
        assertCategory(() -> MdaSourceLoader.load(bytes, "b", MdaLoadOptions.DEFAULTS,
                MdaProjectValidator.PERMISSIVE), MdaErrorCategory.INVALID_ENCODING);
    }

    @Test
    void nonKebabNameIsASchemaViolation() {
        assertCategory(() -> load("---\nname: Not-Kebab\ndescription: x\n---\n"), MdaErrorCategory.SCHEMA_VIOLATION)
                .hasMessageContaining("name");
    }

    @Test
    void unknownTopLevelKeyIsASchemaViolation() {
        assertCategory(() -> load("---\nname: a\nprovider: openai\n---\n"), MdaErrorCategory.SCHEMA_VIOLATION)
                .hasMessageContaining("provider");
    }

    @Test
    void metadataValuesMustBeObjects() {
        assertCategory(() -> load("---\nname: a\nmetadata:\n  version: \"1\"\n---\n"),
                MdaErrorCategory.SCHEMA_VIOLATION);
        assertCategory(() -> load("---\nname: a\nmetadata:\n  snoai_llmix: {}\n---\n"),
                MdaErrorCategory.SCHEMA_VIOLATION);
    }

    @Test
    void signaturesWithoutIntegrityWinOverSchema() {
        String text = "---\nname: x\ndescription: y\nsignatures:\n  - signer: did-web:a.example\n    key-id: k\n"
                + "    payload-digest: sha256:" + ZEROS + "\n    algorithm: ed25519\n    signature: s\n---\n";
        assertCategory(() -> load(text), MdaErrorCategory.SIGNATURES_WITHOUT_INTEGRITY);
    }

    @Test
    void verifySignaturesWithoutPolicyIsATrustPolicyViolationBeforeSchema() {
        MdaLoadOptions options = MdaLoadOptions.builder().verifySignatures(true).build();
        assertCategory(() -> load("---\nname: Not-Kebab\n---\n", options), MdaErrorCategory.TRUST_POLICY_VIOLATION);
        MdaLoadOptions empty = MdaLoadOptions.builder().verifySignatures(true).trustPolicy(Map.of()).build();
        assertCategory(() -> load("---\nname: a\n---\n", empty), MdaErrorCategory.TRUST_POLICY_VIOLATION);
    }

    @Test
    void invalidTrustPoliciesAreRejected() {
        List<Map<String, Object>> policies = List.of(
                Map.of("version", 2, "trustedSigners", List.of(Map.of("type", "did-web", "domain", "a"))),
                Map.of("version", 1, "trustedSigners", List.of()),
                Map.of("version", 1, "trustedSigners", List.of(Map.of("type", "did-web", "domain", "a")), "x", 1),
                Map.of("version", 1, "trustedSigners", List.of(Map.of("type", "did-web", "domain", "a")),
                        "rekor", Map.of("url", "https://rekor")),
                Map.of("version", 1, "trustedSigners", List.of(Map.of("type", "sigstore-oidc", "issuer", "i",
                        "subject", "s"))),
                Map.of("version", 1, "trustedSigners", List.of(Map.of("type", "pgp", "domain", "a"))),
                Map.of("version", 1, "trustedSigners", List.of(Map.of("type", "did-web", "domain", "a")),
                        "minSignatures", 0));
        for (Map<String, Object> policy : policies) {
            MdaLoadOptions options = MdaLoadOptions.builder().verifySignatures(true).trustPolicy(policy).build();
            assertCategory(() -> load("---\nname: a\n---\n", options), MdaErrorCategory.TRUST_POLICY_VIOLATION);
        }
    }

    @Test
    void trustedRuntimeNeedsIntegrityAndSignatures() {
        Map<String, Object> policy = Map.of("version", 1, "trustedSigners",
                List.of(Map.of("type", "did-web", "domain", "tools.example.com")));
        MdaLoadOptions options = MdaLoadOptions.builder().trustedRuntime(true).trustPolicy(policy)
                .didWebVerifier(input -> true).build();
        assertCategory(() -> load("---\nname: a\ndescription: b\n---\n", options),
                MdaErrorCategory.MISSING_REQUIRED_INTEGRITY);
        String withIntegrity = "---\nname: a\nintegrity:\n  algorithm: sha256\n  digest: sha256:" + ZEROS + "\n---\n";
        assertCategory(() -> load(withIntegrity, options), MdaErrorCategory.MISSING_REQUIRED_SIGNATURE);
        MdaLoadOptions verifyOnly = MdaLoadOptions.builder().verifySignatures(true).trustPolicy(policy)
                .didWebVerifier(input -> true).build();
        assertCategory(() -> load(withIntegrity, verifyOnly), MdaErrorCategory.SIGNATURE_VERIFICATION_FAILURE);
    }

    @Test
    void integrityDigestPrefixMustMatchAlgorithm() {
        String text = "---\nname: a\nintegrity:\n  algorithm: sha384\n  digest: sha256:" + ZEROS + "\n---\n";
        assertCategory(() -> load(text, MdaLoadOptions.builder().verifyIntegrity(true).build()),
                MdaErrorCategory.SCHEMA_VIOLATION);
    }

    @Test
    void integrityIsComputedOverCanonicalJsonAndNormalizedBody() {
        String a = "---\nname: a\ndescription: \"x\"\n---\n\nline   \t\n\n\n";
        String b = "---\ndescription: x\nname:   a\n---\n\nline\n";
        MdaParts pa = MdaParts.extract(utf8(a), "a");
        MdaParts pb = MdaParts.extract(utf8(b), "b");
        String da = MdaIntegrity.computeHex(MdaYaml.parseFrontmatter(pa.frontmatter(), "a"), pa.body(), "sha256");
        String db = MdaIntegrity.computeHex(MdaYaml.parseFrontmatter(pb.frontmatter(), "b"), pb.body(), "sha256");
        assertThat(da).isEqualTo(db);
        assertThat(MdaIntegrity.normalizeBody("\n\n")).isEmpty();
        assertThat(MdaIntegrity.normalizeBody("\nx \n")).isEqualTo("\nx\n");
    }

    @Test
    void sha384AndSha512DigestsVerify() {
        for (String algorithm : List.of("sha384", "sha512")) {
            String base = "---\nname: a\n---\nbody\n";
            MdaParts p = MdaParts.extract(utf8(base), "a");
            String digest = MdaIntegrity.compute(MdaYaml.parseFrontmatter(p.frontmatter(), "a"), p.body(), algorithm);
            String text = "---\nname: a\nintegrity:\n  algorithm: " + algorithm + "\n  digest: " + digest
                    + "\n---\nbody\n";
            assertThat(load(text, MdaLoadOptions.builder().verifyIntegrity(true).build()).integrityVerified()).isTrue();
        }
    }

    @Test
    void projectValidatorRunsLast() {
        MdaProjectValidator reject = (fm, source) -> {
            throw new MdaConfigException(MdaErrorCategory.PROJECT_SCHEMA_VIOLATION, "no");
        };
        assertCategory(() -> MdaSourceLoader.load(utf8("---\nname: a\n---\n"), "a", MdaLoadOptions.DEFAULTS, reject),
                MdaErrorCategory.PROJECT_SCHEMA_VIOLATION);
    }

    @Test
    void requiresNetworkForms() {
        String local = "---\nname: a\nrequires:\n  network: local\n---\n";
        MdaLoadOptions.Builder b = MdaLoadOptions.builder().enforceRequires(true);
        assertThat(load(local, b.allowedNetworks(List.of()).build()).requiresNetwork()).isEqualTo("local");
        assertThat(load(local, b.allowedNetworks(List.of("localhost", "db.internal", "10.1.2.3", "fd00::1")).build())
                .name()).isEqualTo("a");
        assertCategory(() -> load(local, b.allowedNetworks(List.of("*")).build()),
                MdaErrorCategory.REQUIRES_NOT_SATISFIED);
        assertCategory(() -> load(local, b.allowedNetworks(List.of("169.254.169.254")).build()),
                MdaErrorCategory.REQUIRES_NOT_SATISFIED);
        String pub = "---\nname: a\nrequires:\n  network: public\n---\n";
        assertThat(load(pub, b.allowedNetworks(List.of("*")).build()).name()).isEqualTo("a");
        assertCategory(() -> load(pub, b.allowedNetworks(List.of("api.openai.com")).build()),
                MdaErrorCategory.REQUIRES_NOT_SATISFIED);
        String none = "---\nname: a\nrequires:\n  network: none\n---\n";
        assertThat(load(none, b.allowedNetworks(List.of()).build()).name()).isEqualTo("a");
        String hosts = "---\nname: a\nrequires:\n  network: [\"a.b.example.com\"]\n---\n";
        assertCategory(() -> load(hosts, b.allowedNetworks(List.of("*.example.com")).build()),
                MdaErrorCategory.REQUIRES_NOT_SATISFIED);
        assertThat(load(hosts, b.allowedNetworks(List.of("*.*.example.com")).build()).name()).isEqualTo("a");
        String number = "---\nname: a\nrequires:\n  network: 5\n---\n";
        assertCategory(() -> load(number, b.allowedNetworks(List.of("*")).build()),
                MdaErrorCategory.REQUIRES_NOT_SATISFIED).hasMessageContaining("invalid shape");
    }

    @Test
    void signaturesAndRequiresAreSurfaced() {
        String digest = "sha256:" + ZEROS;
        String text = "---\nname: a\nrequires:\n  network: [\"x.example\"]\n  gpu: true\nintegrity:\n  algorithm: sha256\n"
                + "  digest: " + digest + "\nsignatures:\n  - signer: did-web:a.example\n    key-id: k\n"
                + "    payload-digest: " + digest + "\n    algorithm: ed25519\n    signature: s\n---\n";
        MdaSource source = load(text);
        assertThat(source.requiresNetwork()).isEqualTo(List.of("x.example"));
        assertThat(source.signatures()).singleElement().satisfies(s -> {
            assertThat(s.signer()).isEqualTo("did-web:a.example");
            assertThat(s.effectivePayloadType()).isEqualTo(SignatureEntry.DEFAULT_PAYLOAD_TYPE);
        });
        assertThat(source.integrityDigest()).isEqualTo(digest);
        assertThat(source.integrityVerified()).isFalse();
    }

    @Test
    void categoryWireNamesAreTheSpecStrings() {
        assertThat(MdaErrorCategory.FRONTMATTER_YAML_PARSE_ERROR.toString()).isEqualTo("frontmatter-yaml-parse-error");
        assertThat(MdaErrorCategory.values()).hasSize(20);
        for (MdaErrorCategory c : MdaErrorCategory.values()) {
            assertThat(MdaErrorCategory.fromWireName(c.wireName())).isSameAs(c);
        }
    }
}
