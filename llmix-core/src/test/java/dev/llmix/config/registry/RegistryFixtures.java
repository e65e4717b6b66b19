package dev.llmix.config.registry;

import dev.llmix.config.mda.MdaTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The committed registry fixture (fixtures/registry): how it is built and how tests get a private copy. */
final class RegistryFixtures {

    static final Map<String, Object> ROOT_POLICY = Map.of("version", 1, "trustedSigners",
            List.of(Map.of("type", "did-web", "domain", "registry.example.com")));

    private RegistryFixtures() {
    }

    static Path committed() {
        return dev.llmix.testsupport.Fixtures.projectFixtures().resolve("registry");
    }

    static Path trustDir() {
        return dev.llmix.testsupport.Fixtures.projectFixtures().resolve("registry-trust");
    }

    /** Builds the two-revision fixture registry into {@code root}; pointer at revision A. */
    static void build(Path root) {
        Path valid = MdaTestSupport.projectMda().resolve("valid");
        RegistryBuilder b = new RegistryBuilder(root);
        RegistryBuilder.Revision a = b.revision(RegistryBuilder.REV_A)
                .preset("demo/sample", valid.resolve("demo/sample.mda"))
                .preset("demo/sample_preset", valid.resolve("demo/sample_preset.mda"));
        a.write();
        a.sign();
        RegistryBuilder.Revision r2 = b.revision(RegistryBuilder.REV_B).publishedAt("2026-05-11T09:30:00.000Z")
                .preset("chat/reply", valid.resolve("chat/reply.mda"))
                .preset("demo/sample", valid.resolve("demo/sample.mda"))
                .preset("demo/sample_preset", valid.resolve("demo_v2/sample_preset.mda"));
        r2.write();
        r2.sign();
        RegistryBuilder.write(root.resolve("source/chat/reply.mda"), RegistryBuilder.readAll(valid.resolve(
                "chat/reply.mda")));
        RegistryBuilder.write(root.resolve("source/demo/sample.mda"), RegistryBuilder.readAll(valid.resolve(
                "demo/sample.mda")));
        RegistryBuilder.write(root.resolve("source/demo/sample_preset.mda"), RegistryBuilder.readAll(valid.resolve(
                "demo_v2/sample_preset.mda")));
        a.activate();
    }

    /** A private, writable copy of the committed registry. */
    static Path copy(Path target) {
        copyTree(committed(), target);
        return target;
    }

    static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
