package dev.llmix.config.mda;

import java.nio.charset.StandardCharsets;

/** DSSE pre-authentication encoding: {@code "DSSEv1 <len(type)> <type> <len(payload)> " + payload}. */
public final class Dsse {

    private Dsse() {
    }

    /** The PAE bytes that a DSSE signature covers; lengths are byte counts in ASCII decimal. */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ")
                .getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[prefix.length + payload.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(payload, 0, out, prefix.length, payload.length);
        return out;
    }
}
