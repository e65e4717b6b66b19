package dev.llmix.spring.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of {@code README.md} and {@code docs/*.md} compiles against this module's test class
 * path (core, the auto-configuration, Spring Web, Actuator, Redis, the core test support).
 *
 * <p>Convention: a block is a compilation unit with its imports. The blocks of one page share a package, so a page may
 * define a class in one block and use it in the next. A block that contains the line {@code // snippet: class-body}
 * after its imports is a class whose body may leave out what a reader does not need (nothing is wrapped: the marker
 * only tells readers that the surrounding class is scaffolding).
 */
class DocSnippetsTest {

    private static final Path ROOT = Path.of("..");

    /**
     * Pages whose blocks are statement fragments run against a fixture: their compiled copies live in a test of their
     * own (streaming.md: llmix-core's {@code StreamingDocSnippetsTest}, which also runs them).
     */
    private static final java.util.Set<String> COMPILED_ELSEWHERE = java.util.Set.of("streaming.md");

    @TempDir
    Path out;

    record Snippet(Path page, int line, String code) {
    }

    static List<Snippet> snippets() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !COMPILED_ELSEWHERE.contains(p.getFileName().toString()))
                    .sorted().forEach(pages::add);
        }
        List<Snippet> out = new ArrayList<>();
        for (Path page : pages) {
            List<String> lines = Files.readAllLines(page);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).strip().equals("```java")) {
                    int start = i + 1;
                    StringBuilder code = new StringBuilder();
                    for (i = start; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                        code.append(lines.get(i)).append('\n');
                    }
                    out.add(new Snippet(page, start + 1, code.toString()));
                }
            }
        }
        return out;
    }

    private static String packageOf(Path page) {
        String name = page.getFileName().toString().replace(".md", "").replaceAll("[^A-Za-z0-9]", "_")
                .toLowerCase(Locale.ROOT);
        return "docsnippet." + name;
    }

    @Test
    void everyJavaBlockOfTheDocsCompiles() throws IOException {
        List<Snippet> snippets = snippets();
        assertThat(snippets).as("java blocks found").hasSizeGreaterThanOrEqualTo(10);

        List<JavaFileObject> sources = new ArrayList<>();
        for (int n = 0; n < snippets.size(); n++) {
            Snippet s = snippets.get(n);
            assertThat(s.code()).as(s.page() + ":" + s.line() + " has its imports or declares a type")
                    .containsAnyOf("import ", "class ", "record ", "interface ");
            // One line, so that the compiler's line numbers are the block's line numbers plus one.
            // A block that declares its own package keeps it (the page's snippets are compiled in a test too).
            String header = s.code().startsWith("package ") ? "" : "package " + packageOf(s.page()) + "; ";
            String unit = header + "// " + s.page().getFileName() + ":" + s.line() + "\n" + s.code();
            sources.add(new Source("Snippet" + n, unit));
        }

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of("-proc:none", "-d", out.toString(), "-classpath", classPath,
                    "-Xlint:none", "-implicit:none");
            compiler.getTask(null, files, diagnostics, options, null, sources).call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                Source src = (Source) d.getSource();
                String where = src == null ? "?" : src.origin() + " (+" + (d.getLineNumber() - 1) + " lines)";
                errors.add(where + ": " + d.getMessage(Locale.ROOT));
            }
        }
        assertThat(errors).as("compile errors in doc snippets (class path: %s entries)",
                classPath.split(File.pathSeparator).length).isEmpty();
    }

    /** A snippet as an in-memory source file. */
    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String name, String code) {
            super(URI.create("string:///" + name + ".java"), Kind.SOURCE);
            this.code = code;
        }

        String origin() {
            return code.substring(code.indexOf("// ") + 3, code.indexOf('\n'));
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
