package dev.llmix.springai.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.Headers;
import com.openai.errors.RateLimitException;
import dev.llmix.spi.ProviderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;

/** How Spring AI's exceptions become statuses LLMix's retry loop, breaker and AIMD limiter understand. */
class SpringAiExceptionTranslatorTest {

    private static final List<String> SECRETS = List.of("sk-spring", "sk-attempt-key");

    private static ProviderException translate(Throwable t) {
        Throwable out = SpringAiExceptionTranslator.translate(t, "OpenAiChatModel", SECRETS);
        assertThat(out).isInstanceOf(ProviderException.class);
        assertThat(out.getMessage()).doesNotContain("sk-spring").doesNotContain("sk-attempt-key");
        return (ProviderException) out;
    }

    @Test
    void transientWithHttpPrefixCarriesItsStatus() {
        assertThat(translate(new TransientAiException("HTTP 503 - x")).statusCode()).isEqualTo(503);
    }

    @Test
    void nonTransientWithBarePrefixCarriesItsStatus() {
        assertThat(translate(new NonTransientAiException("429 - y")).statusCode()).isEqualTo(429);
    }

    @Test
    void nonTransientWithoutStatusIsABadRequest() {
        assertThat(translate(new NonTransientAiException("boom")).statusCode()).isEqualTo(400);
    }

    @Test
    void transientWithoutStatusIsANetworkError() {
        assertThat(translate(new TransientAiException("boom")).isNetworkError()).isTrue();
    }

    @Test
    void restClientResponseCarriesStatusAndRetryAfter() {
        HttpHeaders headers = new HttpHeaders();
        headers.add("Retry-After", "3");
        ProviderException p = translate(HttpServerErrorException.create(HttpStatus.BAD_GATEWAY, "Bad Gateway",
                headers, "key sk-spring rejected".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));

        assertThat(p.statusCode()).isEqualTo(502);
        assertThat(p.headers()).containsEntry("retry-after", "3");
    }

    @Test
    void openAiSdkRateLimitCarriesStatusAndHeaders() {
        RateLimitException sdk = RateLimitException.builder()
                .headers(Headers.builder().put("Retry-After", "2").put("x-ratelimit-remaining-requests", "0").build())
                .build();

        ProviderException p = translate(new RuntimeException("wrapped", sdk));

        assertThat(p.statusCode()).isEqualTo(429);
        assertThat(p.headers()).containsEntry("retry-after", "2").containsEntry("x-ratelimit-remaining-requests", "0");
    }

    @Test
    void resourceAccessIsANetworkError() {
        assertThat(translate(new ResourceAccessException("I/O error on POST for sk-attempt-key")).isNetworkError())
                .isTrue();
    }

    @Test
    void argumentErrorsStayUnchanged() {
        IllegalArgumentException e = new IllegalArgumentException("bad");
        assertThat(SpringAiExceptionTranslator.translate(e, "OpenAiChatModel", SECRETS)).isSameAs(e);
    }

    @Test
    void messagesMaskKeysAndKeepTheFirstLine() {
        ProviderException p = translate(new NonTransientAiException("401 - invalid key sk-spring\nsecond line"));

        assertThat(p.getMessage()).isEqualTo("OpenAiChatModel returned HTTP 401: 401 - invalid key "
                + dev.llmix.keys.ApiKeys.mask("sk-spring"));
    }
}
