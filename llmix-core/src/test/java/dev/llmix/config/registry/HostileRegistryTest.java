package dev.llmix.config.registry;

import static dev.llmix.config.registry.RegistryTestSupport.json;
import static dev.llmix.config.registry.RegistryTestSupport.rev;
import static dev.llmix.config.registry.RegistryTestSupport.writeJson;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.ConfigSecurityException;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.config.mda.OfflineDidWebVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile-input items 4 and 5 of docs/reliability.md: every registry file read is contained in the registry, and a
 * number beyond a double in a signed root is a typed error before signatures are checked.
 */
class HostileRegistryTest {

    @TempDir
    Path root;

    @TempDir
    Path outside;

    @BeforeEach
    void copyRegistry() {
        RegistryFixtures.copy(root);
    }

    private ConfigRegistryManager openSigned() {
        return ConfigRegistryManager.open(root, ConfigRegistryOpenOptions.builder().signedRoot(
                RegistryRootVerificationOptions.builder().trustPolicy(RegistryFixtures.ROOT_POLICY)
                        .didWebVerifier(OfflineDidWebVerifier.fromFiles(List.of(RegistryFixtures.trustDir()
                                .resolve("did-registry.example.com.json"))))
                        .build())
                .build());
    }

    /** Moves {@code relative} out of the registry and leaves a symlink to it in its place: same bytes, outside. */
    private void replaceWithSymlinkOutside(String relative) throws IOException {
        Path inside = root.resolve(relative);
        Path target = outside.resolve(inside.getFileName());
        if (Files.isDirectory(inside)) {
            RegistryFixtures.copyTree(inside, target);
            deleteTree(inside);
        } else {
            Files.copy(inside, target);
            Files.delete(inside);
        }
        Files.createSymbolicLink(inside, target);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"current.json", "compiled", "compiled/" + RegistryBuilder.REV_A,
            "compiled/" + RegistryBuilder.REV_A + "/manifest.json",
            "compiled/" + RegistryBuilder.REV_A + "/registry-root.json"})
    void aSymlinkLeavingTheRegistryIsASecurityError(String relative) throws IOException {
        replaceWithSymlinkOutside(relative);
        assertThatThrownBy(this::openSigned).isExactlyInstanceOf(ConfigSecurityException.class);
    }

    @Test
    void aNumberBeyondADoubleInTheSignedRootPayloadIsAnInvalidConfig() throws IOException {
        Path file = rev(root, RegistryBuilder.REV_A).resolve("registry-root.json");
        Map<String, Object> envelope = json(file);
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) envelope.get("payload");
        payload.put("hostile", "__HUGE__");
        writeJson(file, envelope);
        Files.writeString(file, Files.readString(file).replace("\"__HUGE__\"", "1e400"), StandardCharsets.UTF_8);

        assertThatThrownBy(this::openSigned).isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("not a finite double");
    }
}
