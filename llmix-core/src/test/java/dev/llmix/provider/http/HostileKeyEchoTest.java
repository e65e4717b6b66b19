package dev.llmix.provider.http;

import static dev.llmix.provider.http.AdapterTestSupport.HELLO;
import static dev.llmix.provider.http.AdapterTestSupport.base;
import static dev.llmix.provider.http.AdapterTestSupport.ctx;
import static dev.llmix.provider.http.AdapterTestSupport.failure;
import static dev.llmix.provider.http.AdapterTestSupport.json;
import static dev.llmix.provider.http.AdapterTestSupport.options;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.provider.http.AdapterFailureModesTest.Flavor;
import java.util.Map;
import mockwebserver3.MockResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile-input item 2 of docs/reliability.md: a key echoed across an error text's length limit is masked before the
 * text is cut, so no fragment of it survives.
 */
class HostileKeyEchoTest extends LoopbackServerTest {

    private static final String KEY = AdapterFailureModesTest.FAKE_KEY;
    /** The key's first nine characters: present in any leaked fragment, absent from the masked form. */
    private static final String FRAGMENT = KEY.substring(0, 9);

    private Throwable failureFor(Flavor f) {
        AdapterOptions.Builder opts = options();
        if (f == Flavor.SNO_GPU) {
            opts.internalToken(KEY);
        }
        DispatchFunction adapter = f.adapter(opts);
        DispatchContext c = ctx(f.config(base(server, ""), null), KEY, HELLO, Map.of());
        return failure(adapter, c);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aKeyAcrossTheCutOfAJsonErrorMessageLeavesNoFragment(Flavor f) {
        server.enqueue(json(401, "{\"error\":{\"message\":\"" + "x".repeat(AdapterSupport.MAX_ERROR_TEXT - 10) + KEY
                + "\"}}"));
        assertThat(failureFor(f).getMessage()).doesNotContain(FRAGMENT);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aKeyAcrossTheCutOfAPlainTextErrorLeavesNoFragment(Flavor f) {
        server.enqueue(new MockResponse.Builder().code(403)
                .body("y".repeat(AdapterSupport.MAX_ERROR_TEXT - 10) + KEY).build());
        assertThat(failureFor(f).getMessage()).doesNotContain(FRAGMENT);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aKeyAcrossTheCutOfTheParseErrorExcerptLeavesNoFragment(Flavor f) {
        server.enqueue(json(200, "{\"a\": " + "z".repeat(170) + KEY + "}"));
        assertThat(failureFor(f).getMessage()).startsWith("invalid provider response").doesNotContain(FRAGMENT);
    }
}
