package dev.llmix.config.mda;

import dev.llmix.config.mda.Dsse;
import static dev.llmix.config.mda.MdaTestSupport.assertCategory;
import static dev.llmix.config.mda.MdaTestSupport.projectMda;
import static dev.llmix.config.mda.MdaTestSupport.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.LlmConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signature rows of mda-presets.md §15.2 (fixture 03 with mocks) and §15.4 checks 5 and 7. */
class MdaSignaturesTest {

    private static final Map<String, Object> TOOLS_POLICY = Map.of("version", 1, "trustedSigners",
            List.of(Map.of("type", "did-web", "domain", "tools.example.com")));

    private static MdaSource load03(MdaLoadOptions options) throws IOException {
        Path f = upstream().resolve("valid/03-sigstore-signed.mda");
        return MdaSourceLoader.load(Files.readAllBytes(f), f.toString(), options, MdaProjectValidator.PERMISSIVE);
    }

    private static void fails03(MdaLoadOptions options, MdaErrorCategory category) {
        assertCategory(() -> {
            try {
                load03(options);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, category);
    }

    @Test
    void sigstoreSignedFixtureVerifiesWithTheMockHooks() throws IOException {
        assertThat(load03(SignatureMocks.mSig(SignatureMocks.WRAPPED_03, "releases@snoai.com")).trustedIdentities())
                .containsExactly("sigstore-oidc:https://accounts.google.com|releases@snoai.com");
    }

    @Test
    void barePayloadAlsoVerifies() throws IOException {
        assertThat(load03(SignatureMocks.mSig(SignatureMocks.BARE_03, "releases@snoai.com")).trustedIdentities())
                .hasSize(1);
    }

    @Test
    void rekorReturningNothingIsAnInclusionFailure() {
        MdaLoadOptions options = MdaLoadOptions.builder().verifySignatures(true).trustPolicy(SignatureMocks.policySig())
                .rekorClient((url, logId, index) -> java.util.Optional.empty())
                .sigstoreVerifier(SignatureMocks.sigstore("releases@snoai.com")).build();
        fails03(options, MdaErrorCategory.REKOR_INCLUSION_FAILURE);
    }

    @Test
    void untrustedSubjectMeansNoTrustedSignature() {
        fails03(SignatureMocks.mSig(SignatureMocks.WRAPPED_03, "other@example.com"),
                MdaErrorCategory.NO_TRUSTED_SIGNATURE);
    }

    @Test
    void missingRekorClientIsATrustPolicyViolation() {
        MdaLoadOptions options = MdaLoadOptions.builder().verifySignatures(true).trustPolicy(SignatureMocks.policySig())
                .sigstoreVerifier(SignatureMocks.sigstore("releases@snoai.com")).build();
        fails03(options, MdaErrorCategory.TRUST_POLICY_VIOLATION);
    }

    @Test
    void rekorEntryWithoutInclusionFieldsIsAnInclusionFailure() {
        RekorEntry bare = new RekorEntry("hashedrekord-v0.0.1", null, null, null, null, null, null);
        MdaLoadOptions options = MdaLoadOptions.builder().verifySignatures(true).trustPolicy(SignatureMocks.policySig())
                .rekorClient((url, logId, index) -> java.util.Optional.of(bare))
                .sigstoreVerifier(SignatureMocks.sigstore("releases@snoai.com")).build();
        fails03(options, MdaErrorCategory.REKOR_INCLUSION_FAILURE);
    }

    @Test
    void sigstoreVerifierThrowingIsAVerificationFailure() {
        MdaLoadOptions options = MdaLoadOptions.builder().verifySignatures(true).trustPolicy(SignatureMocks.policySig())
                .rekorClient(SignatureMocks.rekor(SignatureMocks.entry03(SignatureMocks.WRAPPED_03)))
                .sigstoreVerifier((e, s, pae) -> {
                    throw new IllegalStateException("bad chain");
                }).build();
        fails03(options, MdaErrorCategory.SIGNATURE_VERIFICATION_FAILURE);
    }

    private static MdaLoadOptions didWeb(DidWebVerifier verifier) {
        return MdaLoadOptions.builder().trustedRuntime(true).trustPolicy(TOOLS_POLICY).didWebVerifier(verifier)
                .build();
    }

    private static OfflineDidWebVerifier realVerifier() {
        return OfflineDidWebVerifier.fromFiles(List.of(projectMda().resolve("signed/did-tools.example.com.json")));
    }

    @Test
    void didWebSignedPresetLoadsInTrustedRuntimeWithTheRealEd25519Verifier() {
        LlmConfig config = MdaPresetLoader.loadMdaConfig(projectMda().resolve("signed/tools_preset.mda"),
                didWeb(realVerifier()));
        assertThat(config.model()).isEqualTo("gpt-5-mini");
        MdaPreset preset = MdaPresetLoader.loadMdaPreset(projectMda().resolve("signed/tools_preset.mda"),
                didWeb(realVerifier()));
        assertThat(preset.source().trustedIdentities()).containsExactly("did-web:tools.example.com");
        assertThat(preset.source().integrityVerified()).isTrue();
    }

    @Test
    void trustPolicyFileParses() throws IOException {
        TrustPolicy policy = TrustPolicy.parseJson(Files.readAllBytes(projectMda().resolve("signed/trust-policy.json")),
                "trust-policy.json");
        assertThat(policy.trustedSigners()).containsExactly(TrustPolicy.TrustedSigner.didWeb("tools.example.com"));
        assertThat(policy.minSignatures()).isEqualTo(1);
    }

    @Test
    void didWebVerifierVerdicts() {
        Path file = projectMda().resolve("signed/tools_preset.mda");
        assertThat(MdaPresetLoader.loadMdaConfig(file, didWeb(input -> true)).provider()).isEqualTo("openai");
        assertCategory(() -> MdaPresetLoader.loadMdaConfig(file, didWeb(input -> false)),
                MdaErrorCategory.NO_TRUSTED_SIGNATURE);
        MdaLoadOptions noVerifier = MdaLoadOptions.builder().trustedRuntime(true).trustPolicy(TOOLS_POLICY).build();
        assertCategory(() -> MdaPresetLoader.loadMdaConfig(file, noVerifier), MdaErrorCategory.TRUST_POLICY_VIOLATION);
        Map<String, Object> other = Map.of("version", 1, "trustedSigners",
                List.of(Map.of("type", "did-web", "domain", "other.example.com")));
        assertCategory(() -> MdaPresetLoader.loadMdaConfig(file, MdaLoadOptions.builder().trustedRuntime(true)
                .trustPolicy(other).didWebVerifier(input -> true).build()), MdaErrorCategory.NO_TRUSTED_SIGNATURE);
    }

    @Test
    void editingTheModelWithoutUpdatingTheDigestIsAnIntegrityMismatch(@TempDir Path dir) throws IOException {
        String text = Files.readString(projectMda().resolve("signed/tools_preset.mda"));
        Path edited = dir.resolve("tools_preset.mda");
        Files.writeString(edited, text.replace("model: gpt-5-mini", "model: gpt-5"));
        assertCategory(() -> MdaPresetLoader.loadMdaConfig(edited, didWeb(realVerifier())),
                MdaErrorCategory.INTEGRITY_MISMATCH);
    }

    @Test
    void tamperedSignatureFailsTheRealVerifier(@TempDir Path dir) throws IOException {
        String text = Files.readString(projectMda().resolve("signed/tools_preset.mda"));
        Path edited = dir.resolve("tools_preset.mda");
        Files.writeString(edited, text.replace("signature: \"S", "signature: \"T"));
        assertCategory(() -> MdaPresetLoader.loadMdaConfig(edited, didWeb(realVerifier())),
                MdaErrorCategory.NO_TRUSTED_SIGNATURE);
    }

    private static byte[] signedTwice(String secondDomain) {
        String digest = "sha256:" + "ab".repeat(32);
        String text = "---\nname: two\nintegrity:\n  algorithm: sha256\n  digest: " + digest + "\nsignatures:\n"
                + "  - signer: did-web:tools.example.com\n    key-id: k1\n    payload-digest: " + digest
                + "\n    algorithm: ed25519\n    signature: s1\n"
                + "  - signer: did-web:" + secondDomain + "\n    key-id: k2\n    payload-digest: " + digest
                + "\n    algorithm: ed25519\n    signature: s2\n---\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void minSignaturesCountsDistinctIdentities() {
        Map<String, Object> policy = Map.of("version", 1, "minSignatures", 2, "trustedSigners",
                List.of(Map.of("type", "did-web", "domain", "tools.example.com")));
        List<SignatureEntry> sameDomainTwice = List.of(
                new SignatureEntry("did-web:tools.example.com", "k1", "sha256:x", "ed25519", "s1", null, null, null),
                new SignatureEntry("did-web:tools.example.com", "k2", "sha256:x", "ed25519", "s2", null, null, null));
        assertCategory(() -> MdaSignatures.verify(sameDomainTwice, "sha256:x", List.of(new byte[0]),
                TrustPolicy.parse(policy), new MdaSignatures.Hooks(null, null, input -> true), "t"),
                MdaErrorCategory.INSUFFICIENT_TRUSTED_SIGNATURES);
        Map<String, Object> two = Map.of("version", 1, "minSignatures", 2, "trustedSigners",
                List.of(Map.of("type", "did-web", "domain", "tools.example.com"),
                        Map.of("type", "did-web", "domain", "b.example.com")));
        assertThat(MdaSignatures.verify(List.of(sameDomainTwice.get(0), new SignatureEntry("did-web:b.example.com",
                "k3", "sha256:x", "ed25519", "s3", null, null, null)), "sha256:x", List.of(new byte[0]),
                TrustPolicy.parse(two), new MdaSignatures.Hooks(null, null, input -> true), "t")).hasSize(2);
        assertThat(signedTwice("b.example.com")).isNotEmpty();
    }

    @Test
    void signatureShapeErrorsThrowImmediately() {
        TrustPolicy policy = TrustPolicy.parse(TOOLS_POLICY);
        MdaSignatures.Hooks hooks = new MdaSignatures.Hooks(null, null, input -> true);
        assertCategory(() -> MdaSignatures.verify(List.of(new SignatureEntry("pgp:x", "k", "sha256:x", "ed25519", "s",
                null, null, null)), "sha256:x", List.of(new byte[0]), policy, hooks, "t"),
                MdaErrorCategory.UNKNOWN_SIGNER_METHOD);
        assertCategory(() -> MdaSignatures.verify(List.of(new SignatureEntry("did-web:tools.example.com", "k",
                "sha256:x", "ed25519", "s", null, null, "application/vnd.x.y+jcs+json")), "sha256:x",
                List.of(new byte[0]), policy, hooks, "t"), MdaErrorCategory.SCHEMA_VIOLATION);
        assertCategory(() -> MdaSignatures.verify(List.of(new SignatureEntry("did-web:tools.example.com", "k",
                "sha256:x", "ed25519", "s", "log", 1L, null)), "sha256:x", List.of(new byte[0]), policy, hooks, "t"),
                MdaErrorCategory.SCHEMA_VIOLATION);
        assertCategory(() -> MdaSignatures.verify(List.of(new SignatureEntry("did-web:tools.example.com", "k",
                "sha256:y", "ed25519", "s", null, null, null)), "sha256:x", List.of(new byte[0]), policy, hooks, "t"),
                MdaErrorCategory.SIGNATURE_DIGEST_MISMATCH);
        assertCategory(() -> MdaSignatures.verify(List.of(), "sha256:x", List.of(new byte[0]), policy, hooks, "t"),
                MdaErrorCategory.MISSING_REQUIRED_SIGNATURE);
    }

    @Test
    void paeHasTheDsseLayout() {
        byte[] pae = Dsse.pae("application/vnd.snoai-llmix.preset+json", new byte[119]);
        assertThat(new String(pae, 0, 54, StandardCharsets.UTF_8))
                .isEqualTo("DSSEv1 39 application/vnd.snoai-llmix.preset+json 119 ");
    }
}
