package dev.llmix.internal.config;

import dev.llmix.internal.config.RevisionIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.config.ConfigSecurityException;
import dev.llmix.config.InvalidConfigException;
import org.junit.jupiter.api.Test;

/** config-registry.md §2.2 and the ordering vectors of §10.4. */
class RevisionIdsTest {

    @Test
    void orderingVectors() {
        assertThat(RevisionIds.compare("9", "10")).isEqualTo(-1);
        assertThat(RevisionIds.compare("10", "9")).isEqualTo(1);
        assertThat(RevisionIds.compare("010", "10")).isZero();
        assertThat(RevisionIds.compare("r1", "r1.1")).isEqualTo(-1);
        assertThat(RevisionIds.compare("2026-05-10T00:00:00.000Z", "2026-05-10T00:00:01.000Z")).isEqualTo(-1);
        assertThat(RevisionIds.compare("a", "B")).isEqualTo(1);
        assertThat(RevisionIds.compare("1", "-")).isEqualTo(1);
        assertThat(RevisionIds.compare("abc", "abc")).isZero();
        assertThatThrownBy(() -> RevisionIds.compare("../x", "1")).isInstanceOf(ConfigSecurityException.class);
    }

    @Test
    void validationOrder() {
        assertThatThrownBy(() -> RevisionIds.validate("")).isExactlyInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> RevisionIds.validate("a/b")).isInstanceOf(ConfigSecurityException.class);
        assertThatThrownBy(() -> RevisionIds.validate("a\\b")).isInstanceOf(ConfigSecurityException.class);
        assertThatThrownBy(() -> RevisionIds.validate("..")).isInstanceOf(ConfigSecurityException.class);
        assertThatThrownBy(() -> RevisionIds.validate(".staging")).isExactlyInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> RevisionIds.validate("a".repeat(129))).isExactlyInstanceOf(
                InvalidConfigException.class);
        assertThat(RevisionIds.validate("2026-05-10T00:00:00.000Z")).isNotEmpty();
        assertThat(RevisionIds.validate("signed_refresh_first")).isNotEmpty();
        assertThat(RevisionIds.validate("9")).isEqualTo("9");
    }
}
