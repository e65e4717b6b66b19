package dev.llmix.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Proactive rate caps ({@code llmix.rate-limits.*}, docs/rate-limits.md): the estimator and learning settings here;
 * the limits per provider under {@code llmix.rate-limits.<provider>.*} (the presets' provider name) are bound into
 * {@link Provider} by {@link LlmixRateBudgetsAutoConfiguration}, because provider names share this prefix.
 */
@ConfigurationProperties("llmix.rate-limits")
public class LlmixRateLimitsProperties {

    /** How long a lower limit reported by a provider stays in force without being reported again. */
    private Duration learnWindow = Duration.ofMinutes(10);

    /** Characters of the request's canonical JSON counted as one input token by the estimate. */
    private double charsPerToken = 4.0;

    /** Output tokens the estimate assumes when a preset sets no {@code maxOutputTokens}. */
    private int defaultMaxOutputTokens = 1024;

    public Duration getLearnWindow() {
        return learnWindow;
    }

    public void setLearnWindow(Duration learnWindow) {
        LlmixProperties.check(!learnWindow.isNegative() && !learnWindow.isZero(), "rate-limits.learn-window",
                "> 0", learnWindow);
        this.learnWindow = learnWindow;
    }

    public double getCharsPerToken() {
        return charsPerToken;
    }

    public void setCharsPerToken(double charsPerToken) {
        LlmixProperties.check(charsPerToken > 0 && Double.isFinite(charsPerToken), "rate-limits.chars-per-token",
                "a finite number > 0", charsPerToken);
        this.charsPerToken = charsPerToken;
    }

    public int getDefaultMaxOutputTokens() {
        return defaultMaxOutputTokens;
    }

    public void setDefaultMaxOutputTokens(int defaultMaxOutputTokens) {
        LlmixProperties.check(defaultMaxOutputTokens >= 1, "rate-limits.default-max-output-tokens", ">= 1",
                defaultMaxOutputTokens);
        this.defaultMaxOutputTokens = defaultMaxOutputTokens;
    }

    /** Per-minute limits of one scope; unset leaves the dimension out. */
    public static class Limits {

        /** Requests per minute. */
        private @Nullable Long rpm;

        /** Input plus output tokens per minute. */
        private @Nullable Long tpm;

        /** Input tokens per minute. */
        private @Nullable Long itpm;

        /** Output tokens per minute. */
        private @Nullable Long otpm;

        public @Nullable Long getRpm() {
            return rpm;
        }

        public void setRpm(@Nullable Long rpm) {
            this.rpm = positive(rpm, "rpm");
        }

        public @Nullable Long getTpm() {
            return tpm;
        }

        public void setTpm(@Nullable Long tpm) {
            this.tpm = positive(tpm, "tpm");
        }

        public @Nullable Long getItpm() {
            return itpm;
        }

        public void setItpm(@Nullable Long itpm) {
            this.itpm = positive(itpm, "itpm");
        }

        public @Nullable Long getOtpm() {
            return otpm;
        }

        public void setOtpm(@Nullable Long otpm) {
            this.otpm = positive(otpm, "otpm");
        }

        /** Range checks run after binding, where the provider's name is known (the exception names the key). */
        private static @Nullable Long positive(@Nullable Long v, String name) {
            return v;
        }
    }

    /** Rate caps of one provider: its own limits plus model and per-key limits, bursts and learning. */
    public static class Provider extends Limits {

        /** Limits per model ({@code config.model}); names with dots use brackets: {@code models[gpt-4.1]}. */
        private Map<String, Limits> models = new LinkedHashMap<>();

        /** Limits applied to each key of the provider's pool. */
        private Limits perKey = new Limits();

        /** Burst of the request bucket: capacity = ceil(rpm × burst / 1 min), at least 1. */
        private Duration requestBurst = Duration.ofSeconds(1);

        /** Burst of the token buckets: capacity = ceil(limit × burst / 1 min), at least 1. */
        private Duration tokenBurst = Duration.ofSeconds(60);

        /** Adopt lower limits the provider reports in its rate-limit headers. */
        private boolean learn = true;

        public Map<String, Limits> getModels() {
            return models;
        }

        public void setModels(Map<String, Limits> models) {
            this.models = models;
        }

        public Limits getPerKey() {
            return perKey;
        }

        public void setPerKey(Limits perKey) {
            this.perKey = perKey;
        }

        public Duration getRequestBurst() {
            return requestBurst;
        }

        public void setRequestBurst(Duration requestBurst) {
            this.requestBurst = requestBurst;
        }

        public Duration getTokenBurst() {
            return tokenBurst;
        }

        public void setTokenBurst(Duration tokenBurst) {
            this.tokenBurst = tokenBurst;
        }

        public boolean isLearn() {
            return learn;
        }

        public void setLearn(boolean learn) {
            this.learn = learn;
        }
    }
}
