package dev.llmix.internal.resilience;

import dev.llmix.internal.resilience.StateDirs;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateDirsTest {

    private static final Path HOME_STATE = Path.of(System.getProperty("user.home"), ".local", "state", "llmix");

    @Test
    void explicitDirectoryIsUsedAsIsAndWinsOverTheEnvironment() {
        Map<String, String> env = Map.of("LLMIX_STATE_DIR", "/x", "XDG_STATE_HOME", "/s");
        assertThat(StateDirs.resolve(Path.of("/explicit/dir"), env::get)).isEqualTo(Path.of("/explicit/dir"));
    }

    @Test
    void llmixStateDirIsUsedWithoutSubDirectory() {
        Map<String, String> env = Map.of("LLMIX_STATE_DIR", "/x", "XDG_STATE_HOME", "/s");
        assertThat(StateDirs.resolve(null, env::get)).isEqualTo(Path.of("/x"));
    }

    @Test
    void xdgStateHomeGetsTheLlmixSubDirectory() {
        assertThat(StateDirs.resolve(null, Map.of("XDG_STATE_HOME", "/s")::get)).isEqualTo(Path.of("/s/llmix"));
    }

    @Test
    void fallsBackToUserHomeLocalState() {
        assertThat(StateDirs.resolve(null, name -> null)).isEqualTo(HOME_STATE);
    }

    @Test
    void blankVariablesCountAsUnset() {
        assertThat(StateDirs.resolve(null, Map.of("LLMIX_STATE_DIR", " \t", "XDG_STATE_HOME", "/s")::get))
                .isEqualTo(Path.of("/s/llmix"));
        assertThat(StateDirs.resolve(null, Map.of("LLMIX_STATE_DIR", "", "XDG_STATE_HOME", "\u00A0")::get))
                .isEqualTo(HOME_STATE);
    }

    @Test
    void blankExplicitDirectoryCountsAsUnset() {
        assertThat(StateDirs.resolve(Path.of(""), Map.of("LLMIX_STATE_DIR", "/x")::get)).isEqualTo(Path.of("/x"));
        assertThat(StateDirs.resolve(Path.of(" "), name -> null)).isEqualTo(HOME_STATE);
    }
}
