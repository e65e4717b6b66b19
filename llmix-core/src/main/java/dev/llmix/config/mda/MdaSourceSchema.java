package dev.llmix.config.mda;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The generic MDA v1.0 source-mode schema (stage B): a closed top level with typed, patterned fields. */
final class MdaSourceSchema {

    static final Set<String> TOP_LEVEL_KEYS = Set.of("name", "description", "license", "compatibility",
            "allowed-tools", "metadata", "integrity", "signatures", "doc-id", "title", "version", "requires",
            "depends-on", "author", "tags", "created-date", "updated-date", "relationships");
    static final Pattern KEBAB = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}");
    static final Pattern PAYLOAD_TYPE = Pattern.compile(
            "application/vnd\\.[a-z0-9][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)+\\+json");
    private static final Pattern DOC_ID = Pattern.compile("[a-zA-Z0-9_-]{8,}");
    private static final Pattern SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
    private static final Pattern VERSION_RANGE = Pattern.compile("\\^?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
    private static final Pattern SIGNER = Pattern.compile("(sigstore-oidc|did-web):[^#]+");
    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})");
    private static final Set<String> SIGNATURE_KEYS = Set.of("signer", "key-id", "payload-digest", "algorithm",
            "signature", "rekor-log-id", "rekor-log-index", "payload-type");
    static final List<String> SIGNATURE_ALGORITHMS = List.of("ed25519", "ecdsa-p256", "rsa-pss-sha256");

    private MdaSourceSchema() {
    }

    static List<String> validate(Map<String, ?> fm) {
        List<String> issues = new ArrayList<>();
        for (String key : fm.keySet()) {
            if (!TOP_LEVEL_KEYS.contains(key)) {
                issues.add(key + ": unknown top-level key");
            }
        }
        if (fm.containsKey("name")) {
            Object v = fm.get("name");
            if (!(v instanceof String s) || s.isEmpty() || s.length() > 64 || !KEBAB.matcher(s).matches()) {
                issues.add("name: must be a kebab-case string of 1-64 characters");
            }
        }
        if (fm.containsKey("description")) {
            Object v = fm.get("description");
            if (!(v instanceof String s) || s.isEmpty() || s.codePointCount(0, s.length()) > 1024) {
                issues.add("description: must be a string of 1-1024 characters");
            }
        }
        for (String key : List.of("license", "title", "author", "allowed-tools")) {
            if (fm.containsKey(key) && !(fm.get(key) instanceof String)) {
                issues.add(key + ": must be a string");
            }
        }
        if (fm.containsKey("compatibility") && !(fm.get("compatibility") instanceof String s
                && s.codePointCount(0, s.length()) <= 500)) {
            issues.add("compatibility: must be a string of at most 500 characters");
        }
        matches(fm, "doc-id", DOC_ID, issues);
        matches(fm, "version", SEMVER, issues);
        if (fm.containsKey("tags")) {
            stringArray(fm.get("tags"), "tags", issues);
        }
        if (fm.containsKey("relationships")) {
            if (!(fm.get("relationships") instanceof List<?> list)) {
                issues.add("relationships: must be an array of objects");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    if (!(list.get(i) instanceof Map<?, ?>)) {
                        issues.add("relationships[" + i + "]: must be an object");
                    }
                }
            }
        }
        for (String key : List.of("created-date", "updated-date")) {
            if (fm.containsKey(key) && !(fm.get(key) instanceof String s && isDateTime(s))) {
                issues.add(key + ": must be an RFC 3339 date-time string");
            }
        }
        if (fm.containsKey("requires")) {
            if (!(fm.get("requires") instanceof Map<?, ?> req)) {
                issues.add("requires: must be an object");
            } else {
                for (Object k : req.keySet()) {
                    if (!(k instanceof String s) || s.length() > 64 || !KEBAB.matcher(s).matches()) {
                        issues.add("requires." + k + ": keys must be kebab-case");
                    }
                }
            }
        }
        if (fm.containsKey("depends-on")) {
            dependsOn(fm.get("depends-on"), issues);
        }
        if (fm.containsKey("metadata")) {
            if (!(fm.get("metadata") instanceof Map<?, ?> md)) {
                issues.add("metadata: must be an object");
            } else {
                for (Map.Entry<?, ?> e : md.entrySet()) {
                    String k = String.valueOf(e.getKey());
                    if (k.length() > 64 || !KEBAB.matcher(k).matches()) {
                        issues.add("metadata." + k + ": namespace keys must be kebab-case");
                    }
                    if (!(e.getValue() instanceof Map<?, ?>)) {
                        issues.add("metadata." + k + ": must be an object");
                    }
                }
            }
        }
        if (fm.containsKey("integrity")) {
            integrity(fm.get("integrity"), issues);
        }
        if (fm.containsKey("signatures")) {
            signatures(fm.get("signatures"), issues);
            if (!fm.containsKey("integrity")) {
                issues.add("integrity: is required when signatures are present");
            }
        }
        return issues;
    }

    private static void matches(Map<String, ?> fm, String key, Pattern pattern, List<String> issues) {
        if (fm.containsKey(key) && !(fm.get(key) instanceof String s && pattern.matcher(s).matches())) {
            issues.add(key + ": must match ^" + pattern.pattern() + "$");
        }
    }

    private static void stringArray(@Nullable Object v, String path, List<String> issues) {
        if (!(v instanceof List<?> list) || list.stream().anyMatch(o -> !(o instanceof String))) {
            issues.add(path + ": must be an array of strings");
        }
    }

    static boolean isDateTime(String s) {
        if (!DATE_TIME.matcher(s).matches()) {
            return false;
        }
        try {
            OffsetDateTime.parse(s.toUpperCase(java.util.Locale.ROOT));
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static void dependsOn(@Nullable Object v, List<String> issues) {
        if (!(v instanceof List<?> list)) {
            issues.add("depends-on: must be an array");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            String p = "depends-on[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> dep)) {
                issues.add(p + ": must be an object");
                continue;
            }
            for (Object k : dep.keySet()) {
                if (!Set.of("name", "version-range", "digest").contains(k)) {
                    issues.add(p + "." + k + ": unknown key");
                }
            }
            if (!(dep.get("name") instanceof String n && n.length() <= 64 && KEBAB.matcher(n).matches())) {
                issues.add(p + ".name: must be a kebab-case name");
            }
            if (!(dep.get("version-range") instanceof String r && VERSION_RANGE.matcher(r).matches())) {
                issues.add(p + ".version-range: must be a semver range like ^1.2.3");
            }
            if (dep.containsKey("digest") && !(dep.get("digest") instanceof String d && DIGEST.matcher(d).matches())) {
                issues.add(p + ".digest: must be sha256:/sha384:/sha512: followed by lowercase hex");
            }
        }
    }

    private static void integrity(@Nullable Object v, List<String> issues) {
        if (!(v instanceof Map<?, ?> m)) {
            issues.add("integrity: must be an object");
            return;
        }
        for (Object k : m.keySet()) {
            if (!"algorithm".equals(k) && !"digest".equals(k)) {
                issues.add("integrity." + k + ": unknown key");
            }
        }
        if (!(m.get("algorithm") instanceof String a && MdaIntegrity.ALGORITHMS.contains(a))) {
            issues.add("integrity.algorithm: must be one of sha256, sha384, sha512");
        }
        if (!(m.get("digest") instanceof String d && DIGEST.matcher(d).matches())) {
            issues.add("integrity.digest: must be <algorithm>:<lowercase hex> of the right length");
        }
    }

    private static void signatures(@Nullable Object v, List<String> issues) {
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            issues.add("signatures: must be a non-empty array");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            String p = "signatures[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> sig)) {
                issues.add(p + ": must be an object");
                continue;
            }
            for (Object k : sig.keySet()) {
                if (!SIGNATURE_KEYS.contains(k)) {
                    issues.add(p + "." + k + ": unknown key");
                }
            }
            Object signer = sig.get("signer");
            if (!(signer instanceof String s && SIGNER.matcher(s).matches())) {
                issues.add(p + ".signer: must be sigstore-oidc:<issuer> or did-web:<domain> without '#'");
            }
            for (String k : List.of("key-id", "signature")) {
                if (!(sig.get(k) instanceof String s && !s.isEmpty())) {
                    issues.add(p + "." + k + ": must be a non-empty string");
                }
            }
            if (!(sig.get("payload-digest") instanceof String d && DIGEST.matcher(d).matches())) {
                issues.add(p + ".payload-digest: must be <algorithm>:<lowercase hex>");
            }
            if (!(sig.get("algorithm") instanceof String a && SIGNATURE_ALGORITHMS.contains(a))) {
                issues.add(p + ".algorithm: must be one of ed25519, ecdsa-p256, rsa-pss-sha256");
            }
            if (sig.containsKey("rekor-log-id") && !(sig.get("rekor-log-id") instanceof String)) {
                issues.add(p + ".rekor-log-id: must be a string");
            }
            if (sig.containsKey("rekor-log-index") && !(sig.get("rekor-log-index") instanceof Number n
                    && n.doubleValue() >= 0 && n.doubleValue() == Math.rint(n.doubleValue()))) {
                issues.add(p + ".rekor-log-index: must be an integer >= 0");
            }
            if (sig.containsKey("payload-type") && !(sig.get("payload-type") instanceof String t
                    && PAYLOAD_TYPE.matcher(t).matches())) {
                issues.add(p + ".payload-type: must be application/vnd.<name>+json");
            }
            boolean hasRekor = sig.containsKey("rekor-log-id") || sig.containsKey("rekor-log-index");
            if (signer instanceof String s && s.startsWith("sigstore-oidc:")
                    && !(sig.containsKey("rekor-log-id") && sig.containsKey("rekor-log-index"))) {
                issues.add(p + ": a sigstore-oidc signature needs rekor-log-id and rekor-log-index");
            }
            if (signer instanceof String s && s.startsWith("did-web:") && hasRekor) {
                issues.add(p + ": a did-web signature must not carry Rekor fields");
            }
        }
    }
}
