package dev.llmix.config.mda;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.InvalidConfigException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hostile-input item 8 of docs/reliability.md: a malformed EC P-256 JWK is an invalid config, typed. */
class HostileDidKeyTest {

    private static Map<String, Object> documentWith(String x, String y) {
        return Map.of("id", "did:web:example.com", "verificationMethod", List.of(Map.of("id",
                "did:web:example.com#key", "type", "JsonWebKey2020", "controller", "did:web:example.com",
                "publicKeyJwk", Map.of("kty", "EC", "crv", "P-256", "x", x, "y", y))));
    }

    private static String b64(int bytes, int fill) {
        byte[] b = new byte[bytes];
        java.util.Arrays.fill(b, (byte) fill);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String coordinate(java.math.BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] fixed = new byte[32];
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, fixed, 32 - n, n);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }

    @Test
    void aGenuineP256KeyIsStillAccepted() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.spec.ECPoint w = ((java.security.interfaces.ECPublicKey) g.generateKeyPair().getPublic()).getW();
        org.assertj.core.api.Assertions.assertThat(OfflineDidWebVerifier.of(List.of(documentWith(
                coordinate(w.getAffineX()), coordinate(w.getAffineY()))))).isNotNull();
    }

    @Test
    void anOversizedCoordinateIsAnInvalidConfig() {
        assertThatThrownBy(() -> OfflineDidWebVerifier.of(List.of(documentWith(b64(4096, 0x7f), b64(32, 1)))))
                .isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("did:web:example.com#key");
    }

    @Test
    void aCoordinateOfTheRightSizeButOffTheFieldIsAnInvalidConfig() {
        assertThatThrownBy(() -> OfflineDidWebVerifier.of(List.of(documentWith(b64(32, 0xff), b64(32, 0xff)))))
                .isExactlyInstanceOf(InvalidConfigException.class);
    }
}
