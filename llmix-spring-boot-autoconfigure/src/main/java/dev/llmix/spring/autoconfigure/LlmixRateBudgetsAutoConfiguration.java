package dev.llmix.spring.autoconfigure;

import dev.llmix.budget.BudgetDimension;
import dev.llmix.budget.BudgetListener;
import dev.llmix.budget.ProviderRateLimits;
import dev.llmix.budget.RateBudget;
import dev.llmix.budget.RateBudgetFactory;
import dev.llmix.budget.RateBudgets;
import dev.llmix.budget.RateLimits;
import dev.llmix.budget.TokenEstimator;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spring.autoconfigure.diagnostics.InvalidLlmixConfigurationException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Proactive rate caps (docs/rate-limits.md): binds {@code llmix.rate-limits.*} into the {@link RateBudgets} bean (LOCAL
 * budgets unless a {@link RateBudgetFactory} bean is defined: {@code llmix.fleet.budgets.shared=true} defines the FLEET
 * one, docs/fleet-budgets.md) and hands it to the auto-configured pipeline. Every
 * {@link BudgetListener} bean (the metrics one among them) hears grants and rejections.
 */
@AutoConfiguration(before = LlmixAutoConfiguration.class)
@ConditionalOnClass(CallPipeline.class)
@EnableConfigurationProperties(LlmixRateLimitsProperties.class)
public final class LlmixRateBudgetsAutoConfiguration {

    private static final String PREFIX = "llmix.rate-limits";

    /** Keys directly under the prefix that are settings, not provider names. */
    private static final Set<String> SETTINGS = Set.of("learn-window", "chars-per-token", "default-max-output-tokens");

    @Bean
    @ConditionalOnMissingBean
    RateBudgets llmixRateBudgets(LlmixRateLimitsProperties properties, Environment environment,
            ObjectProvider<BudgetListener> listeners, ObjectProvider<RateBudgetFactory> factory) {
        RateBudgets.Builder builder = RateBudgets.builder()
                // A unique factory bean (the fleet's with llmix.fleet.budgets.shared) replaces the LOCAL budgets.
                .factory(factory.getIfUnique())
                .learnWindow(properties.getLearnWindow())
                .estimator(TokenEstimator.charsPerToken(properties.getCharsPerToken(),
                        properties.getDefaultMaxOutputTokens()))
                .listener(composite(listeners.orderedStream().toList()));
        bindProviders(environment).forEach((name, p) -> builder.provider(name, toCore(p)));
        return builder.build();
    }

    /** The auto-configured pipeline consumes from the {@link RateBudgets} bean. */
    @Bean
    PipelineConfigCustomizer llmixRateBudgetsPipeline(RateBudgets rateBudgets) {
        return builder -> builder.rateBudgets(rateBudgets);
    }

    /**
     * Binds {@code llmix.rate-limits.<provider>.*} for every provider name found under the prefix. Provider names sit
     * beside the prefix's own settings, so they are bound one by one rather than as a map.
     */
    static Map<String, LlmixRateLimitsProperties.Provider> bindProviders(Environment environment) {
        ConfigurationPropertyName prefix = ConfigurationPropertyName.of(PREFIX);
        Set<String> names = new LinkedHashSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource) {
                ((IterableConfigurationPropertySource) source).stream()
                        .filter(prefix::isAncestorOf)
                        .map(n -> n.getElement(prefix.getNumberOfElements(), ConfigurationPropertyName.Form.DASHED))
                        .filter(n -> !SETTINGS.contains(n))
                        .forEach(names::add);
            }
        }
        Binder binder = Binder.get(environment);
        Map<String, LlmixRateLimitsProperties.Provider> out = new LinkedHashMap<>();
        for (String name : names) {
            binder.bind(prefix.append(name), Bindable.of(LlmixRateLimitsProperties.Provider.class))
                    .ifBound(p -> out.put(name, validate(PREFIX + "." + name, p)));
        }
        return out;
    }

    /** Out-of-range values fail start-up naming the exact key (docs/configuration.md lists the ranges). */
    private static LlmixRateLimitsProperties.Provider validate(String key, LlmixRateLimitsProperties.Provider p) {
        checkLimits(key, p);
        p.getModels().forEach((model, l) -> checkLimits(key + ".models[" + model + "]", l));
        checkLimits(key + ".per-key", p.getPerKey());
        checkPositive(key + ".request-burst", p.getRequestBurst());
        checkPositive(key + ".token-burst", p.getTokenBurst());
        return p;
    }

    private static void checkLimits(String key, LlmixRateLimitsProperties.Limits l) {
        checkLimit(key + ".rpm", l.getRpm());
        checkLimit(key + ".tpm", l.getTpm());
        checkLimit(key + ".itpm", l.getItpm());
        checkLimit(key + ".otpm", l.getOtpm());
    }

    private static void checkLimit(String key, @Nullable Long v) {
        if (v != null && v < 1) {
            throw new InvalidLlmixConfigurationException(key, key + " must be >= 1 (per minute), got " + v,
                    "Set " + key + " to a positive per-minute limit, or remove it to leave the dimension unlimited.",
                    null);
        }
    }

    private static void checkPositive(String key, java.time.Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new InvalidLlmixConfigurationException(key, key + " must be > 0, got " + d,
                    "Set " + key + " to a positive duration such as 1s (docs/configuration.md).", null);
        }
    }

    static ProviderRateLimits toCore(LlmixRateLimitsProperties.Provider p) {
        Map<String, RateLimits> models = new LinkedHashMap<>();
        p.getModels().forEach((model, l) -> models.put(model, limits(l)));
        return new ProviderRateLimits(limits(p), models, limits(p.getPerKey()), p.getRequestBurst(),
                p.getTokenBurst(), p.isLearn());
    }

    private static RateLimits limits(LlmixRateLimitsProperties.Limits l) {
        return new RateLimits(orZero(l.getRpm()), orZero(l.getTpm()), orZero(l.getItpm()), orZero(l.getOtpm()));
    }

    private static long orZero(@Nullable Long v) {
        return v == null ? 0 : v;
    }

    private static BudgetListener composite(List<BudgetListener> listeners) {
        if (listeners.isEmpty()) {
            return BudgetListener.NOOP;
        }
        if (listeners.size() == 1) {
            return listeners.get(0);
        }
        List<BudgetListener> all = List.copyOf(listeners);
        return new BudgetListener() {
            @Override
            public void onGrant(RateBudget budget, BudgetDimension dimension, long waitNanos) {
                for (BudgetListener l : all) {
                    l.onGrant(budget, dimension, waitNanos);
                }
            }

            @Override
            public void onReject(RateBudget budget, BudgetDimension dimension, String reason) {
                for (BudgetListener l : all) {
                    l.onReject(budget, dimension, reason);
                }
            }
        };
    }
}
