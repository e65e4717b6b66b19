package dev.llmix.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** Runs the LLMix failure analyzers registered in {@code META-INF/spring.factories} against a start-up failure. */
public final class FailureAnalyses {

    private FailureAnalyses() {
    }

    public static FailureAnalysis analyze(Throwable failure) {
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(
                        FailureAnalyses.class.getClassLoader())
                .load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((m, e) -> { }));
        List<FailureAnalyzer> ours = analyzers.stream()
                .filter(a -> a.getClass().getName().startsWith("dev.llmix."))
                .toList();
        assertThat(ours).as("LLMix failure analyzers registered in spring.factories").hasSizeGreaterThanOrEqualTo(3);
        for (FailureAnalyzer analyzer : ours) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                return analysis;
            }
        }
        throw new AssertionError("no LLMix failure analyzer explains " + failure, failure);
    }

    /** The bind failure in {@code failure}'s cause chain. */
    static BindException bindFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException bind) {
                return bind;
            }
        }
        throw new AssertionError("not a bind failure: " + failure, failure);
    }
}
