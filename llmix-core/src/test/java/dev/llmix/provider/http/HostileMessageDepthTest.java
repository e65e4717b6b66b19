package dev.llmix.provider.http;

import static dev.llmix.provider.http.AdapterTestSupport.base;
import static dev.llmix.provider.http.AdapterTestSupport.ctx;
import static dev.llmix.provider.http.AdapterTestSupport.failure;
import static dev.llmix.provider.http.AdapterTestSupport.options;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.spi.InvalidMessagesException;
import dev.llmix.provider.http.AdapterFailureModesTest.Flavor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Hostile-input item 7 of docs/reliability.md: an adapter called directly rejects a self-referencing message typed. */
class HostileMessageDepthTest extends LoopbackServerTest {

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aSelfReferencingMessageFailsTheDispatchTypedWithoutARequest(Flavor f) {
        Map<String, Object> message = new HashMap<>();
        message.put("role", "user");
        message.put("content", List.of(message));
        AdapterOptions.Builder opts = options();
        if (f == Flavor.SNO_GPU) {
            opts.internalToken("internal-token-123456");
        }

        Throwable t = failure(f.adapter(opts),
                ctx(f.config(base(server, ""), null), "sk-depth-test-key-0000", List.of(message), Map.of()));

        assertThat(t).isInstanceOf(InvalidMessagesException.class);
        assertThat(server.getRequestCount()).isZero();
    }
}
