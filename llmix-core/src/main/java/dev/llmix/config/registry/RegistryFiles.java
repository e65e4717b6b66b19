package dev.llmix.config.registry;

import dev.llmix.config.ConfigAccessException;
import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.ConfigSecurityException;
import dev.llmix.config.InvalidConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** File access and path rules shared by the registry loader and the root verifier. */
final class RegistryFiles {

    /** Cap for any registry file; presets and manifests are far smaller. */
    static final int MAX_FILE_BYTES = 8 * 1024 * 1024;
    static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern WINDOWS_ABSOLUTE = Pattern.compile("^[A-Za-z]:.*");

    private RegistryFiles() {
    }

    /** Reads a file (whose path has been checked) with the size cap and typed errors. */
    static byte[] read(Path file, String what) {
        if (!Files.exists(file)) {
            throw new ConfigNotFoundException(what + " not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigAccessException(what + " is not a regular file: " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new InvalidConfigException(what + " " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new ConfigNotFoundException(what + " not found: " + file, e);
        } catch (AccessDeniedException e) {
            throw new ConfigAccessException("Permission denied reading " + what + " " + file, e);
        } catch (IOException e) {
            throw new ConfigAccessException("Cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns {@code file} after checking that, when it exists, its real path (every symlink followed) stays inside
     * the real path of {@code base}: {@code current.json}, {@code compiled/}, a revision directory, its manifest and
     * its {@code registry-root.json} must not lead out of the registry (docs/presets.md promises a
     * {@link ConfigSecurityException}). A missing file is left to the reader, which reports it as not found.
     */
    static Path requireInside(Path base, Path file, String what) {
        try {
            if (Files.exists(file)) {
                Path real = file.toRealPath();
                if (!real.startsWith(base.toRealPath())) {
                    throw new ConfigSecurityException(what + " " + file + " resolves outside " + base + ": " + real);
                }
            }
        } catch (IOException e) {
            throw new ConfigAccessException("Cannot resolve " + what + " " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** True for a normalized relative POSIX path: no leading {@code /}, no drive, no {@code \}, no empty/./.. segment. */
    static boolean isSafeRelativePath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.indexOf('\\') >= 0 || WINDOWS_ABSOLUTE.matcher(path).matches()) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Resolves a manifest path under the revision directory; when it exists, its real path must stay inside the
     * revision's real path (symlinks inside the revision are fine, escaping ones are not).
     */
    static Path resolveContained(Path revisionDir, String relative) {
        Path file;
        try {
            file = revisionDir.resolve(relative);
        } catch (InvalidPathException e) {
            // A NUL or a lone surrogate in a manifest path: bad registry content, not a JDK error for the caller.
            throw new InvalidConfigException("Invalid Config Registry artifact path (" + e.getReason() + ") under "
                    + revisionDir);
        }
        try {
            if (Files.exists(file)) {
                Path real = file.toRealPath();
                if (!real.startsWith(revisionDir.toRealPath())) {
                    throw new ConfigSecurityException("Config Registry artifact " + relative
                            + " resolves outside its compiled revision: " + real);
                }
                return real;
            }
        } catch (IOException e) {
            throw new ConfigAccessException("Cannot resolve Config Registry artifact " + file + ": " + e.getMessage(),
                    e);
        }
        return file;
    }
}
