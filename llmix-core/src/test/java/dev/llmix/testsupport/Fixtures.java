package dev.llmix.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the project's {@code fixtures/} folder and the shared contract folder ({@code ../shared}) from the system
 * properties the build sets, with fallbacks for running a test from an IDE.
 */
public final class Fixtures {

    private Fixtures() {
    }

    /** The project's {@code fixtures/} directory. */
    public static Path projectFixtures() {
        String configured = System.getProperty("llmix.fixtures.dir");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("fixtures/vectors"))) {
                return dir.resolve("fixtures");
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("Cannot find the project's fixtures/ directory");
    }

    /**
     * The shared contract directory ({@code ../shared} beside the checkout), or empty when it is absent; tests that
     * read upstream fixtures skip cleanly in that case.
     */
    public static Optional<Path> shared() {
        String configured = System.getProperty("llmix.shared.dir");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Optional.of(Path.of(configured).normalize());
        }
        Path fixtures = projectFixtures();
        Path candidate = fixtures.getParent().getParent().resolve("shared");
        return Files.isDirectory(candidate) ? Optional.of(candidate) : Optional.empty();
    }

    /** A sub-path of the shared directory, or empty when the shared directory or the sub-path is absent. */
    public static Optional<Path> shared(String relative) {
        return shared().map(p -> p.resolve(relative)).filter(Files::exists);
    }
}
