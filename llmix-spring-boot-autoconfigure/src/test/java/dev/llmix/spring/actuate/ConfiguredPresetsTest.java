package dev.llmix.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.llmix.config.registry.ConfigRegistryManager;
import dev.llmix.config.registry.ConfigRegistryStatus;
import dev.llmix.spring.autoconfigure.LlmixProperties;
import dev.llmix.spring.autoconfigure.PresetSourceMode;
import dev.llmix.spring.testing.LeakScanner;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.mock.env.MockEnvironment;

/** The default {@code presets} section of the endpoint. */
@ExtendWith(LeakScanner.class)
class ConfiguredPresetsTest {

    @Test
    void registryModeShowsRevisionLastReloadAndError() {
        ConfigRegistryManager manager = mock(ConfigRegistryManager.class);
        when(manager.root()).thenReturn(Path.of("/srv/config/llm"));
        when(manager.status()).thenReturn(new ConfigRegistryStatus("2026-05-10T12-00-00Z_0a1b2c3d", "abc", 3, false,
                Instant.parse("2026-05-10T12:00:01Z"), Instant.parse("2026-05-10T12:05:00Z"),
                new IllegalStateException("manifest digest mismatch")));

        LlmixReport.Presets p = ConfiguredPresets.of(manager);

        assertThat(p).isEqualTo(new LlmixReport.Presets("registry", "/srv/config/llm", "2026-05-10T12-00-00Z_0a1b2c3d",
                "2026-05-10T12:00:01Z", "manifest digest mismatch"));
    }

    @Test
    void sourceModeShowsTheConfiguredRoot() {
        LlmixProperties properties = new LlmixProperties();
        properties.getConfig().setMode(PresetSourceMode.SOURCE);
        properties.getConfig().setRoot("presets");
        DefaultListableBeanFactory noBeans = new DefaultListableBeanFactory();

        LlmixReport.Presets p = new ConfiguredPresets(noBeans.getBeanProvider(ConfigRegistryManager.class), properties,
                new MockEnvironment()).presets();

        assertThat(p).isEqualTo(new LlmixReport.Presets("source", "presets", null, null, null));
    }

    @Test
    void unsetRootFallsBackToTheEnvironmentThenTheDefault() {
        LlmixProperties properties = new LlmixProperties();
        DefaultListableBeanFactory noBeans = new DefaultListableBeanFactory();

        assertThat(new ConfiguredPresets(noBeans.getBeanProvider(ConfigRegistryManager.class), properties,
                new MockEnvironment().withProperty("LLMIX_CONFIG_DIR", "/etc/llm")).presets().root())
                .isEqualTo("/etc/llm");
        assertThat(new ConfiguredPresets(noBeans.getBeanProvider(ConfigRegistryManager.class), properties,
                new MockEnvironment()).presets().root()).isEqualTo("config/llm");
    }
}
