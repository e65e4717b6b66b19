package dev.llmix.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.mda.MdaYaml;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The preset rules name each issue by its full path, although paths are now joined only when an issue is reported
 * (docs/performance.md, start-up validation): the messages and their order are those of the eager version.
 */
class LlmConfigRulesTest {

    private static final String NS = "metadata.snoai-llmix";

    @Test
    void aValidNamespaceHasNoIssues() {
        Map<String, Object> ns = MdaYaml.parseFrontmatter("common: {provider: openai, model: m, topP: 0.5}\n"
                + "providerOptions:\n  openai: {reasoningEffort: low, logitBias: {'12': 1}}\n"
                + "timeout: {totalTime: 5}\ncaching: {strategy: memory, ttl: 60}\ntags: [a]\n", "t");
        assertThat(LlmConfigRules.validateNamespace(ns, NS)).isEmpty();
    }

    @Test
    void issuesInNestedProviderOptionsNameTheirFullPath() {
        Map<String, Object> ns = MdaYaml.parseFrontmatter("providerOptions:\n"
                + "  openai: {reasoningEffort: extreme, parallelToolCalls: 1, foo: 2, logitBias: {abc: x, '12': 'y'}}\n"
                + "  anthropic: {thinking: {type: enabled, budgetTokens: x}, nope: 1}\n  bogus: {}\n", "t");
        assertThat(LlmConfigRules.validateNamespace(ns, NS)).containsExactly(
                NS + ".common: is required",
                NS + ".providerOptions.bogus: unknown key",
                NS + ".providerOptions.openai.foo: unknown key",
                NS + ".providerOptions.openai.reasoningEffort: must be one of minimal, low, medium, high, xhigh"
                        + " (got \"extreme\")",
                NS + ".providerOptions.openai.parallelToolCalls: must be a boolean (got 1)",
                NS + ".providerOptions.openai.logitBias.abc: key must be a token id (digits only)",
                NS + ".providerOptions.openai.logitBias.abc: must be a finite number (got \"x\")",
                NS + ".providerOptions.openai.logitBias.12: must be a finite number (got \"y\")",
                NS + ".providerOptions.anthropic.nope: unknown key",
                NS + ".providerOptions.anthropic.thinking.budgetTokens: must be a finite number (got \"x\")");
    }

    @Test
    void issuesInCommonTimeoutCachingAndTagsNameTheirFullPath() {
        Map<String, Object> ns = MdaYaml.parseFrontmatter("common: {provider: openai, model: m, maxRetries: -1,"
                + " temperature: 3}\ntimeout: {totalTime: -1, other: 1}\ncaching: {strategy: memory, ttl: 0}\n"
                + "tags: [a, 1]\nmodule: ''\n", "t");
        assertThat(LlmConfigRules.validateNamespace(ns, NS)).containsExactly(
                NS + ".common.temperature: must be between 0 and 2 (got 3)",
                NS + ".common.maxRetries: must be >= 0",
                NS + ".timeout.other: unknown key",
                NS + ".timeout.totalTime: must be a positive number (got -1)",
                NS + ".caching.ttl: must be a positive integer (got 0)",
                NS + ".tags[1]: must be a string",
                NS + ".module: must be a non-empty string");
    }

    @Test
    void aProjectedConfigNamesTopLevelPathsWithoutAPrefix() {
        Map<String, Object> config = MdaYaml.parseFrontmatter("provider: opnai\ncommon: 3\ntags: x\n", "t");
        assertThat(LlmConfigRules.validateConfig(config)).containsExactly(
                "provider: must be one of " + String.join(", ", LlmConfigRules.PROVIDERS) + " (got \"opnai\")",
                "model: is required",
                "common: must be an object (got 3)",
                "tags: must be an array of strings (got \"x\")");
    }
}
