package dev.llmix.config.registry;

import dev.llmix.internal.json.Jcs;
import dev.llmix.config.mda.MdaIntegrity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/** Mutation helpers over a private copy of a registry, keeping the digest chain coherent where asked. */
final class RegistryTestSupport {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private RegistryTestSupport() {
    }

    /** A clock tests can move. */
    static final class MutableClock extends Clock {
        volatile Instant now = Instant.parse("2026-05-10T12:30:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(long seconds) {
            now = now.plusSeconds(seconds);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Path file) {
        try {
            return MAPPER.readValue(Files.readString(file), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeJson(Path file, Object value) {
        write(file, Jcs.pretty(value));
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha(Path file) {
        try {
            return MdaIntegrity.sha256Hex(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path rev(Path root, String revision) {
        return root.resolve("compiled").resolve(revision);
    }

    static void point(Path root, String revision) {
        writeJson(root.resolve("current.json"), RegistryBuilder.pointer(revision,
                sha(rev(root, revision).resolve("manifest.json"))));
    }

    /** Edits the manifest and re-points current.json at its new digest. */
    static void editManifest(Path root, String revision, Consumer<Map<String, Object>> edit) {
        Path file = rev(root, revision).resolve("manifest.json");
        Map<String, Object> manifest = json(file);
        edit.accept(manifest);
        writeJson(file, manifest);
        point(root, revision);
    }

    /** Replaces a resolved file and updates its manifest entry and the pointer. */
    @SuppressWarnings("unchecked")
    static void replaceResolved(Path root, String revision, String id, String text) {
        Path file = rev(root, revision).resolve("resolved/" + id + ".json");
        write(file, text);
        editManifest(root, revision, m -> ((Map<String, Object>) ((Map<String, Object>) m.get("presets")).get(id))
                .put("resolved_sha256", MdaIntegrity.sha256Hex(text.getBytes(StandardCharsets.UTF_8))));
    }

    /** Flips one byte of a file. */
    static void flipByte(Path file, int index) {
        try {
            byte[] b = Files.readAllBytes(file);
            b[index] ^= 0x01;
            Files.write(file, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
