package dev.llmix.config.mda;

import dev.llmix.config.ConfigAccessException;
import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.internal.json.StrictJson;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DidWebVerifier} that needs no network: keys come from DID documents supplied as local files or maps
 * (document {@code id} = {@code did:web:<domain>}, verification method {@code id} = the signature's key id, key from
 * {@code publicKeyJwk} or {@code publicKeyPem}). Supports {@code ed25519} (pure Ed25519), {@code ecdsa-p256}
 * ({@code SHA256withECDSA}, DER signature) and {@code rsa-pss-sha256} (MGF1-SHA-256, salt 32), all from the JDK.
 */
public final class OfflineDidWebVerifier implements DidWebVerifier {

    private static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** domain → key id → public key. */
    private final Map<String, Map<String, PublicKey>> keys;

    private OfflineDidWebVerifier(Map<String, Map<String, PublicKey>> keys) {
        this.keys = keys;
    }

    /**
     * A verifier over DID documents in their JSON-like form.
     *
     * @throws InvalidConfigException when a document or key is malformed
     */
    public static OfflineDidWebVerifier of(List<? extends Map<String, ?>> documents) {
        Map<String, Map<String, PublicKey>> keys = new HashMap<>();
        for (Map<String, ?> doc : documents) {
            if (!(doc.get("id") instanceof String id) || !id.startsWith("did:web:") || id.length() == 8) {
                throw new InvalidConfigException("DID document id must be did:web:<domain>");
            }
            String domain = id.substring("did:web:".length());
            if (!(doc.get("verificationMethod") instanceof List<?> methods)) {
                throw new InvalidConfigException("DID document " + id + " has no verificationMethod array");
            }
            Map<String, PublicKey> byId = keys.computeIfAbsent(domain, d -> new HashMap<>());
            for (Object o : methods) {
                if (!(o instanceof Map<?, ?> m) || !(m.get("id") instanceof String keyId)) {
                    throw new InvalidConfigException("DID document " + id + " has a verification method without id");
                }
                byId.put(keyId, publicKey(m, keyId));
            }
        }
        return new OfflineDidWebVerifier(keys);
    }

    /**
     * A verifier over DID document files (JSON).
     *
     * @throws ConfigNotFoundException, ConfigAccessException or InvalidConfigException when a file cannot be used
     */
    public static OfflineDidWebVerifier fromFiles(List<Path> files) {
        List<Map<String, ?>> docs = new ArrayList<>();
        for (Path f : files) {
            byte[] bytes;
            try {
                if (Files.size(f) > 1_000_000) {
                    throw new InvalidConfigException("DID document " + f + " is larger than 1 MB");
                }
                bytes = Files.readAllBytes(f);
            } catch (NoSuchFileException e) {
                throw new ConfigNotFoundException("DID document not found: " + f, e);
            } catch (IOException e) {
                throw new ConfigAccessException("Cannot read DID document " + f + ": " + e.getMessage(), e);
            }
            docs.add(StrictJson.parseObject(bytes, f.toString()));
        }
        return of(docs);
    }

    @Override
    public boolean verify(DidWebVerificationInput input) {
        Map<String, PublicKey> byId = keys.get(input.domain());
        PublicKey key = byId == null ? null : byId.get(input.keyId());
        if (key == null) {
            return false;
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(input.signature());
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Signature verifier = switch (input.algorithm()) {
                case "ed25519" -> key.getAlgorithm().equals("EdDSA") || key.getAlgorithm().equals("Ed25519")
                        ? Signature.getInstance("Ed25519") : null;
                case "ecdsa-p256" -> key.getAlgorithm().equals("EC") ? Signature.getInstance("SHA256withECDSA")
                        : null;
                case "rsa-pss-sha256" -> {
                    if (!key.getAlgorithm().equals("RSA")) {
                        yield null;
                    }
                    Signature s = Signature.getInstance("RSASSA-PSS");
                    s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                    yield s;
                }
                default -> null;
            };
            if (verifier == null) {
                return false;
            }
            verifier.initVerify(key);
            verifier.update(input.paeBytes());
            return verifier.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static PublicKey publicKey(Map<?, ?> method, String keyId) {
        try {
            if (method.get("publicKeyJwk") instanceof Map<?, ?> jwk) {
                return fromJwk(jwk);
            }
            if (method.get("publicKeyPem") instanceof String pem) {
                return fromPem(pem);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // JCA providers report some malformed keys with provider-specific runtime exceptions: all are bad keys.
            throw new InvalidConfigException("Invalid public key for " + keyId + ": " + e.getMessage(), e);
        }
        throw new InvalidConfigException("Verification method " + keyId + " has no publicKeyJwk or publicKeyPem");
    }

    private static PublicKey fromJwk(Map<?, ?> jwk) throws GeneralSecurityException {
        Object kty = jwk.get("kty");
        Object crv = jwk.get("crv");
        if ("OKP".equals(kty) && "Ed25519".equals(crv)) {
            byte[] x = b64url(jwk.get("x"));
            if (x.length != 32) {
                throw new IllegalArgumentException("Ed25519 x must be 32 bytes");
            }
            byte[] der = new byte[ED25519_X509_PREFIX.length + 32];
            System.arraycopy(ED25519_X509_PREFIX, 0, der, 0, ED25519_X509_PREFIX.length);
            System.arraycopy(x, 0, der, ED25519_X509_PREFIX.length, 32);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        }
        if ("EC".equals(kty) && "P-256".equals(crv)) {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
            // RFC 7518 §6.2.1.2: each coordinate is exactly the curve's 32 bytes; anything else is not a P-256 key
            // (and an oversized one made the JDK's key factory throw an untyped RuntimeException).
            byte[] x = b64url(jwk.get("x"));
            byte[] y = b64url(jwk.get("y"));
            if (x.length != 32 || y.length != 32) {
                throw new IllegalArgumentException("P-256 x and y must be 32 bytes each");
            }
            ECPoint point = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
            if (!onCurve(point, spec)) {
                throw new IllegalArgumentException("P-256 point is not on the curve");
            }
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
        }
        if ("RSA".equals(kty)) {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                    new BigInteger(1, b64url(jwk.get("n"))), new BigInteger(1, b64url(jwk.get("e")))));
        }
        throw new IllegalArgumentException("unsupported JWK kty " + kty + " crv " + crv);
    }

    /** True when {@code x, y < p} and {@code y² = x³ + ax + b (mod p)}: the JDK accepts any point at construction. */
    private static boolean onCurve(ECPoint point, ECParameterSpec spec) {
        BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger rhs = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
        return y.modPow(BigInteger.TWO, p).equals(rhs);
    }

    private static PublicKey fromPem(String pem) throws GeneralSecurityException {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(body));
        for (String algorithm : List.of("Ed25519", "EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (GeneralSecurityException e) {
                // try the next key type
            }
        }
        throw new IllegalArgumentException("unsupported PEM public key");
    }

    private static byte[] b64url(@Nullable Object value) {
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("missing JWK coordinate");
        }
        return Base64.getUrlDecoder().decode(s);
    }
}
