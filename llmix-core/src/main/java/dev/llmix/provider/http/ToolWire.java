package dev.llmix.provider.http;

import dev.llmix.internal.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Tool-calling rules shared by the adapters: message hygiene for OpenAI-compatible bodies, finish-reason mapping,
 * Gemini call ids and schema adaptation (docs/tools.md, "Per-provider differences").
 */
final class ToolWire {

    /** Prefix of call ids LLMix synthesises for Gemini calls that came without one. */
    static final String SYNTHETIC_ID_PREFIX = "llmix_call_";

    private ToolWire() {
    }

    // ---- OpenAI-compatible message hygiene -----------------------------------------------------------------------

    /**
     * The messages as an OpenAI-compatible provider accepts them: {@code is_error} dropped from tool messages and
     * {@code extra_content.anthropic} from tool calls; for {@code openai} also {@code name} on tool messages and all
     * {@code extra_content}. Returns {@code messages} itself when nothing needs to change.
     */
    static List<?> openAiMessages(List<?> messages, boolean openai) {
        boolean needed = false;
        for (Object m : messages) {
            if (m instanceof Map<?, ?> msg && ("tool".equals(msg.get("role")) || msg.get("tool_calls") != null)) {
                needed = true;
                break;
            }
        }
        if (!needed) {
            return messages;
        }
        List<@Nullable Object> out = new ArrayList<>(messages.size());
        for (Object m : messages) {
            if (!(m instanceof Map<?, ?> msg)) {
                out.add(m);
                continue;
            }
            if ("tool".equals(msg.get("role"))) {
                Map<String, @Nullable Object> copy = copy(msg);
                copy.remove("is_error");
                if (openai) {
                    copy.remove("name");
                }
                out.add(copy);
            } else if (msg.get("tool_calls") instanceof List<?> calls) {
                Map<String, @Nullable Object> copy = copy(msg);
                List<@Nullable Object> cleaned = new ArrayList<>(calls.size());
                for (Object c : calls) {
                    cleaned.add(c instanceof Map<?, ?> call ? cleanCall(call, openai) : c);
                }
                copy.put("tool_calls", cleaned);
                out.add(copy);
            } else {
                out.add(m);
            }
        }
        return out;
    }

    private static Map<String, @Nullable Object> cleanCall(Map<?, ?> call, boolean openai) {
        Map<String, @Nullable Object> copy = copy(call);
        Object extra = copy.get("extra_content");
        if (openai) {
            copy.remove("extra_content");
        } else if (extra instanceof Map<?, ?> e && e.containsKey("anthropic")) {
            Map<String, @Nullable Object> kept = copy(e);
            kept.remove("anthropic");
            if (kept.isEmpty()) {
                copy.remove("extra_content");
            } else {
                copy.put("extra_content", kept);
            }
        }
        return copy;
    }

    static Map<String, @Nullable Object> copy(Map<?, ?> m) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    // ---- finish reasons ------------------------------------------------------------------------------------------

    /** OpenAI-compatible {@code finish_reason}: as given, {@code function_call} as {@code tool_calls}. */
    static @Nullable String openAiFinishReason(@Nullable String reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case "stop", "length", "tool_calls", "content_filter" -> reason;
            case "function_call" -> "tool_calls";
            default -> "other";
        };
    }

    /** Anthropic {@code stop_reason}. */
    static @Nullable String anthropicFinishReason(@Nullable String reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case "end_turn", "stop_sequence", "pause_turn" -> "stop";
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "other";
        };
    }

    /** Gemini {@code finishReason}; {@code STOP} with function calls is {@code tool_calls}. */
    static @Nullable String geminiFinishReason(@Nullable String reason, boolean hasCalls) {
        if (reason == null) {
            return hasCalls ? "tool_calls" : null;
        }
        return switch (reason) {
            case "STOP" -> hasCalls ? "tool_calls" : "stop";
            case "MAX_TOKENS" -> "length";
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII" -> "content_filter";
            default -> "other";
        };
    }

    // ---- Gemini ids and schemas ----------------------------------------------------------------------------------

    /**
     * A stable id for a Gemini call that came without one: {@code llmix_call_} + 16 hex digits of SHA-256 over
     * response id, request message count, call index, name and canonical arguments.
     */
    static String syntheticId(String responseId, int messageCount, int index, String name,
            @Nullable Object args) {
        String input = responseId + "\n" + messageCount + "\n" + index + "\n" + name + "\n"
                + CanonicalJson.stringify(args == null ? Map.of() : args);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
            return SYNTHETIC_ID_PREFIX + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /**
     * A copy of {@code schema} for Gemini: {@code const} becomes a one-value {@code enum}; a {@code $ref} cycle through
     * required properties only fails locally (Gemini unrolls cycles only through optional properties).
     */
    static @Nullable Object geminiSchema(@Nullable Object schema) {
        if (schema instanceof Map<?, ?> root) {
            checkRequiredRecursion(root, root, "", new ArrayList<>(), 0);
        }
        return adapt(schema);
    }

    private static @Nullable Object adapt(@Nullable Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, @Nullable Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                String key = String.valueOf(k);
                if ("const".equals(key) && (v instanceof String || v instanceof Number)) {
                    out.put("enum", List.of(v));
                } else {
                    out.put(key, adapt(v));
                }
            });
            return out;
        }
        if (value instanceof List<?> l) {
            List<@Nullable Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(adapt(o));
            }
            return out;
        }
        return value;
    }

    /** Follows {@code $ref}s only through required properties (and items/anyOf); a revisit is a required cycle. */
    private static void checkRequiredRecursion(Map<?, ?> root, Map<?, ?> s, String pointer, List<String> refs,
            int depth) {
        if (depth > 64) {
            return;
        }
        if (s.get("$ref") instanceof String ref) {
            if (refs.contains(ref)) {
                throw new AdapterConfigException(
                        "gemini cannot use a schema that recurses through required properties: "
                                + (pointer.isEmpty() ? "/" : pointer));
            }
            Map<?, ?> target = resolve(root, ref);
            if (target != null) {
                List<String> next = new ArrayList<>(refs);
                next.add(ref);
                checkRequiredRecursion(root, target, pointer, next, depth + 1);
            }
            return;
        }
        if (s.get("properties") instanceof Map<?, ?> props) {
            List<?> required = s.get("required") instanceof List<?> r ? r : List.of();
            for (Map.Entry<?, ?> e : props.entrySet()) {
                if (required.contains(e.getKey()) && e.getValue() instanceof Map<?, ?> child) {
                    checkRequiredRecursion(root, child, pointer + "/properties/" + e.getKey(), refs, depth + 1);
                }
            }
        }
        if (s.get("anyOf") instanceof List<?> any) {
            boolean nullable = false;
            for (Object o : any) {
                nullable |= o instanceof Map<?, ?> m && "null".equals(m.get("type"));
            }
            if (!nullable) {
                for (int i = 0; i < any.size(); i++) {
                    if (any.get(i) instanceof Map<?, ?> m) {
                        checkRequiredRecursion(root, m, pointer + "/anyOf/" + i, refs, depth + 1);
                    }
                }
            }
        }
    }

    /** Whether some {@code $ref} of {@code schema} leads back to a schema on its own path (a recursive type). */
    static boolean isRecursive(Map<?, ?> schema) {
        return recursive(schema, schema, new ArrayList<>(), 0);
    }

    private static boolean recursive(Map<?, ?> root, @Nullable Object node, List<String> refs, int depth) {
        if (depth > 64) {
            return false;
        }
        if (node instanceof Map<?, ?> m) {
            if (m.get("$ref") instanceof String ref) {
                if (refs.contains(ref)) {
                    return true;
                }
                List<String> next = new ArrayList<>(refs);
                next.add(ref);
                Map<?, ?> target = resolve(root, ref);
                if (target != null && recursive(root, target, next, depth + 1)) {
                    return true;
                }
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!"$defs".equals(e.getKey()) && recursive(root, e.getValue(), refs, depth + 1)) {
                    return true;
                }
            }
        } else if (node instanceof List<?> l) {
            for (Object o : l) {
                if (recursive(root, o, refs, depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static @Nullable Map<?, ?> resolve(Map<?, ?> root, String ref) {
        if ("#".equals(ref)) {
            return root;
        }
        if (!ref.startsWith("#/")) {
            return null;
        }
        Object node = root;
        for (String part : ref.substring(2).split("/")) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = m.get(part.replace("~1", "/").replace("~0", "~"));
        }
        return node instanceof Map<?, ?> m ? m : null;
    }
}
