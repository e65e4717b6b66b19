package dev.llmix.config.mda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The mock hooks of mda-presets.md §15.3. */
final class SignatureMocks {

    static final String REKOR_URL = "https://rekor.sigstore.dev";
    static final String LOG_ID = "c0d23b6c4f200000000000000000000000000000000000000000000000000000";
    static final long LOG_INDEX = 87654321L;
    static final String WRAPPED_03 = "eyJpbnRlZ3JpdHkiOnsiYWxnb3JpdGhtIjoic2hhMjU2IiwiZGlnZXN0Ijoic2hhMjU2Ojk2OTc0NDhi"
            + "NmYzZjg4YjcxODcwZGQ1YjYwODk5OWFkZTcxN2Y3M2Q0ZWViZjY3ZjAyYWMwM2RmZTE3N2EzN2UifX0=";
    static final String BARE_03 = "eyJhbGdvcml0aG0iOiJzaGEyNTYiLCJkaWdlc3QiOiJzaGEyNTY6OTY5NzQ0OGI2ZjNmODhiNzE4NzBkZD"
            + "ViNjA4OTk5YWRlNzE3ZjczZDRlZWJmNjdmMDJhYzAzZGZlMTc3YTM3ZSJ9";

    private SignatureMocks() {
    }

    /** Policy P-SIG. */
    static Map<String, Object> policySig() {
        return Map.of("version", 1, "trustedSigners", List.of(Map.of("type", "sigstore-oidc", "issuer",
                "https://accounts.google.com", "subject", "releases@snoai.com")), "rekor", Map.of("url", REKOR_URL));
    }

    static RekorClient rekor(RekorEntry entry) {
        return new RekorClient() {
            @Override
            public Optional<String> url() {
                return Optional.of(REKOR_URL);
            }

            @Override
            public Optional<RekorEntry> fetchEntry(String rekorUrl, String logId, long logIndex) {
                assertThat(rekorUrl).isEqualTo(REKOR_URL);
                return logId.equals(entry.logId()) && entry.logIndex() != null && logIndex == entry.logIndex()
                        ? Optional.of(entry) : Optional.empty();
            }
        };
    }

    static RekorEntry entry03(String payload) {
        return new RekorEntry("dsse-v0.0.1", LOG_ID, LOG_INDEX, true, null, new RekorEntry.DsseEnvelope(
                "application/vnd.snoai-llmix.preset+json", payload, List.of(new RekorEntry.DsseSignature(
                        "MEUCIQDkXFIXTUREONLYBASE64==",
                        "fulcio:9c4e7b2f1a05c3b9e2d6c2b1e7f0a8d4c3b9e2f1a05c3b9e2d6c2b1e7f0a8d4c"))), null);
    }

    static SigstoreVerifier sigstore(String subject) {
        return (entry, signature, pae) -> {
            assertThat(new String(pae, StandardCharsets.UTF_8))
                    .startsWith("DSSEv1 39 application/vnd.snoai-llmix.preset+json ");
            return new SigstoreVerificationResult("https://accounts.google.com", subject, null);
        };
    }

    /** M-SIG with the given envelope payload and verified subject. */
    static MdaLoadOptions mSig(String payload, String subject) {
        return MdaLoadOptions.builder().verifySignatures(true).trustPolicy(policySig())
                .rekorClient(rekor(entry03(payload))).sigstoreVerifier(sigstore(subject)).build();
    }

    /** M-REKOR-KIND for fixture 14. */
    static MdaLoadOptions rekorKindOptions() {
        String wrapped = "{\"integrity\":{\"algorithm\":\"sha256\",\"digest\":\"sha256:"
                + "0ced75d0c768c5561753d79ed7b4f3c8ddf4d9df8c9b206130261fe75b01b674\"}}";
        RekorEntry entry = new RekorEntry("hashedrekord-v0.0.1", LOG_ID, LOG_INDEX, true, null,
                new RekorEntry.DsseEnvelope("application/vnd.mda.integrity+json",
                        Base64.getEncoder().encodeToString(wrapped.getBytes(StandardCharsets.UTF_8)),
                        List.of(new RekorEntry.DsseSignature("MEUCIQDFIXTURE==", "fulcio:9c4e7b"))), null);
        return MdaLoadOptions.builder().verifySignatures(true).trustPolicy(policySig()).rekorClient(rekor(entry))
                .sigstoreVerifier((e, s, pae) -> new SigstoreVerificationResult("https://accounts.google.com",
                        "releases@snoai.com", null)).build();
    }
}
