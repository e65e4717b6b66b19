package dev.llmix.pipeline;

import dev.llmix.testsupport.ScriptedDispatch;
import dev.llmix.spi.ProviderException;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmix.config.TimeoutConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Every failed response carries a typed {@link CallFailure} whose message is safe for end users. */
class CallFailureTest extends PipelineTestSupport {

    private CallFailure failureOf(CallResponse response) {
        assertThat(response.success()).isFalse();
        assertThat(response.error()).isNotBlank();
        assertThat(response.failure()).isPresent();
        CallFailure f = response.failure().orElseThrow();
        assertThat(f.provider()).isEqualTo("openai");
        assertThat(f.message()).doesNotContain(stateDir.toString()).doesNotContain("test-key").doesNotContain("http");
        return f;
    }

    @Test
    void aSuccessHasNoFailure() {
        CallResponse r = pipeline(ScriptedDispatch.ok("hello")).call(input());
        assertThat(r.success()).isTrue();
        assertThat(r.failure()).isEmpty();
    }

    @Test
    void theKillSwitchIsKillSwitchAndItsMessageHidesTheFilePath() throws IOException {
        Files.writeString(stateDir.resolve("killswitch"), "");
        CallResponse r = pipeline(ScriptedDispatch.ok("hello")).call(input());
        CallFailure f = failureOf(r);
        assertThat(f.type()).isEqualTo(CallFailureType.KILL_SWITCH);
        assertThat(f.retryable()).isFalse();
        assertThat(f.status()).isNull();
        assertThat(r.error()).contains("killswitch");
    }

    @Test
    void anOpenBreakerIsCircuitOpen() {
        CallPipeline p = pipeline(options().circuitBreakerThreshold(1), ScriptedDispatch.failing(
                ScriptedDispatch.status(503)));
        p.call(input());
        CallFailure f = failureOf(p.call(input()));
        assertThat(f.type()).isEqualTo(CallFailureType.CIRCUIT_OPEN);
        assertThat(f.retryable()).isTrue();
    }

    @Test
    void http429IsRateLimited() {
        CallFailure f = failureOf(pipeline(ScriptedDispatch.failing(ScriptedDispatch.status(429))).call(input()));
        assertThat(f.type()).isEqualTo(CallFailureType.RATE_LIMITED);
        assertThat(f.status()).isEqualTo(429);
        assertThat(f.retryable()).isTrue();
        assertThat(f.message()).endsWith("(HTTP 429)");
    }

    @Test
    void http401IsAuthentication() {
        CallFailure f = failureOf(pipeline(ScriptedDispatch.failing(ScriptedDispatch.status(401))).call(input()));
        assertThat(f.type()).isEqualTo(CallFailureType.AUTHENTICATION);
        assertThat(f.retryable()).isFalse();
    }

    @Test
    void http500IsProviderError() {
        CallFailure f = failureOf(pipeline(ScriptedDispatch.failing(ScriptedDispatch.status(500))).call(input()));
        assertThat(f.type()).isEqualTo(CallFailureType.PROVIDER_ERROR);
        assertThat(f.status()).isEqualTo(500);
        assertThat(f.retryable()).isTrue();
    }

    @Test
    void http400IsInvalidRequest() {
        CallFailure f = failureOf(pipeline(ScriptedDispatch.failing(ScriptedDispatch.status(400))).call(input()));
        assertThat(f.type()).isEqualTo(CallFailureType.INVALID_REQUEST);
        assertThat(f.retryable()).isFalse();
    }

    @Test
    void http504IsTimeout() {
        CallFailure f = failureOf(pipeline(ScriptedDispatch.failing(ScriptedDispatch.status(504))).call(input()));
        assertThat(f.type()).isEqualTo(CallFailureType.TIMEOUT);
    }

    @Test
    void aDispatchThatOutlivesTheBudgetIsTimeout() {
        CallPipeline p = pipeline(new ScriptedDispatch((ctx, n) -> new CompletableFuture<>()));
        CallResponse r = p.call(input(config().timeout(new TimeoutConfig(0.05, null)).build()));
        CallFailure f = failureOf(r);
        assertThat(f.type()).isEqualTo(CallFailureType.TIMEOUT);
        assertThat(f.retryable()).isTrue();
    }

    @Test
    void aConnectionFailureIsNetwork() {
        CallFailure f = failureOf(pipeline(ScriptedDispatch.failing(
                ProviderException.network("connection refused", new IOException("refused")))).call(input()));
        assertThat(f.type()).isEqualTo(CallFailureType.NETWORK);
        assertThat(f.status()).isNull();
    }

    @Test
    void aClosedPipelineIsShutDown() {
        CallPipeline p = pipeline(ScriptedDispatch.ok("hello"));
        p.close();
        assertThat(failureOf(p.call(input())).type()).isEqualTo(CallFailureType.SHUT_DOWN);
    }

    @Test
    void aProviderWithoutKeysIsConfiguration() {
        CallPipeline p = pipeline(ScriptedDispatch.ok("hello"));
        CallResponse r = p.call(input(CONFIG.toBuilder().provider("deepseek").build()));
        assertThat(r.failure()).map(CallFailure::type).contains(CallFailureType.CONFIGURATION);
        assertThat(r.failure().orElseThrow().message()).doesNotContain("DEEPSEEK_API_KEY");
    }
}
