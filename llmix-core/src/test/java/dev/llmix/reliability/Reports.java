package dev.llmix.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Figures measured by the reliability tests (reported, never asserted as timings): printed and appended to
 * {@code target/reliability-figures.txt}, from where docs/reliability.md quotes them.
 */
final class Reports {

    private static final Path FILE = Path.of("target", "reliability-figures.txt");

    private Reports() {
    }

    static synchronized void record(String what, String value) {
        String line = "[reliability] " + what + ": " + value;
        System.out.println(line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
