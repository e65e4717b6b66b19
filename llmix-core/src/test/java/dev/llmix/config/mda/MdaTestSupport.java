package dev.llmix.config.mda;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.testsupport.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Assumptions;

/** Shared helpers for the MDA and registry tests: fixture paths, category assertions, the spec's Ed25519 test key. */
public final class MdaTestSupport {

    /** Seed of the spec's test key (sha256 of {@code llmix-java-spec-test-key}). */
    public static final String TEST_KEY_SEED = "20c3b8d8d7a1336058102b58e60936d1f145f491e7c55131d921a14c8de99cb4";
    /** Public key of the test key, JWK {@code x}. */
    public static final String TEST_KEY_X = "hhoqYAhqGTLVUNFcZ1BDx7ITs2CDPrVx8i7BzI6f5Yc";

    private MdaTestSupport() {
    }

    /** The upstream MDA fixture folder, or the test is skipped. */
    public static Path upstream() {
        Optional<Path> dir = Fixtures.shared("fixtures/upstream/mda");
        Assumptions.assumeTrue(dir.isPresent(), "upstream MDA fixtures absent");
        return dir.get();
    }

    /** The project's own MDA fixtures. */
    public static Path projectMda() {
        return Fixtures.projectFixtures().resolve("mda");
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Asserts the call fails with an {@link MdaConfigException} of the category. */
    public static AbstractThrowableAssert<?, ? extends Throwable> assertCategory(Runnable call,
            MdaErrorCategory category) {
        return assertThatThrownBy(call::run).isInstanceOf(MdaConfigException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((MdaConfigException) e).category())
                        .as(e.getMessage()).isEqualTo(category))
                .hasMessageStartingWith("[" + category.wireName() + "] ");
    }

    /** Signs {@code data} with the spec's Ed25519 test key; standard base64. */
    public static String signEd25519(byte[] data) {
        try {
            byte[] pkcs8 = HexFormat.of().parseHex("302e020100300506032b657004220420" + TEST_KEY_SEED);
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(data);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A DID document for {@code did:web:<domain>} holding the test key under {@code keyId}. */
    public static Map<String, Object> didDocument(String domain, String keyId) {
        return Map.of("id", "did:web:" + domain, "verificationMethod", List.of(Map.of("id", keyId, "type",
                "JsonWebKey2020", "controller", "did:web:" + domain, "publicKeyJwk",
                Map.of("crv", "Ed25519", "x", TEST_KEY_X, "kty", "OKP"))));
    }

    /** An offline did:web verifier that knows the test key for {@code domain}. */
    public static OfflineDidWebVerifier testKeyVerifier(String domain, String keyId) {
        return OfflineDidWebVerifier.of(List.of(didDocument(domain, keyId)));
    }
}
