package dev.llmix.internal.config;

import dev.llmix.config.ConfigNotFoundException;
import dev.llmix.config.ConfigSecurityException;
import dev.llmix.config.InvalidConfigException;
import dev.llmix.config.LlmConfigException;
import dev.llmix.internal.config.ConfigNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** mda-presets.md §10: name rules, checked in order empty → length → dangerous characters → pattern. */
class ConfigNamesTest {

    @Test
    void validNames() {
        assertThat(ConfigNames.validateModule("hrkg")).isEqualTo("hrkg");
        assertThat(ConfigNames.validateModule("_default")).isEqualTo("_default");
        assertThat(ConfigNames.validateModule("memu_v2")).isEqualTo("memu_v2");
        assertThat(ConfigNames.validatePreset("_base_low")).isEqualTo("_base_low");
        assertThat(ConfigNames.validatePreset("extraction")).isEqualTo("extraction");
        assertThat(ConfigNames.validateScope("prod-eu")).isEqualTo("prod-eu");
    }

    @Test
    void invalidFormatsAreInvalidConfig() {
        for (String bad : new String[] {"", "Demo", "openai-gpt-5", "a.b", "a b", "1abc", "x".repeat(65), "abc\n"}) {
            assertThatThrownBy(() -> ConfigNames.validateModule(bad)).as(bad)
                    .isExactlyInstanceOf(InvalidConfigException.class);
        }
        assertThatThrownBy(() -> ConfigNames.validatePreset("my-preset")).isExactlyInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> ConfigNames.validateScope("_other")).isExactlyInstanceOf(InvalidConfigException.class);
    }

    @Test
    void pathCharactersAreSecurityErrors() {
        for (String bad : new String[] {"../search", "a/b", "a\\b", "..", "~root", "$HOME", "a`b`"}) {
            assertThatThrownBy(() -> ConfigNames.validatePreset(bad)).as(bad)
                    .isExactlyInstanceOf(ConfigSecurityException.class);
        }
        assertThatThrownBy(() -> ConfigNames.validateModule("/" + "x".repeat(70)))
                .isExactlyInstanceOf(InvalidConfigException.class);
    }

    @Test
    void userIdsAndVersions() {
        assertThat(ConfigNames.isValidUserId("user-abc")).isTrue();
        assertThat(ConfigNames.isValidUserId("_")).isTrue();
        assertThat(ConfigNames.isValidUserId("a/b")).isFalse();
        assertThat(ConfigNames.isValidUserId("")).isFalse();
        assertThat(ConfigNames.isValidUserId(null)).isFalse();
        assertThat(ConfigNames.validateVersion(9999)).isEqualTo(9999);
        assertThatThrownBy(() -> ConfigNames.validateVersion(0)).isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void configErrorsAreLocalLlmixErrors() {
        assertThat(new ConfigNotFoundException("x")).isInstanceOf(LlmConfigException.class)
                .isInstanceOf(dev.llmix.LlmixLocalException.class);
        assertThat(new dev.llmix.config.mda.MdaConfigException(dev.llmix.config.mda.MdaErrorCategory.SCHEMA_VIOLATION,
                "x")).isInstanceOf(InvalidConfigException.class);
    }
}
