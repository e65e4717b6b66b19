package dev.llmix.spring.autoconfigure.springai;

import dev.llmix.keys.KeyPool;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.spring.autoconfigure.LlmixAutoConfiguration;
import dev.llmix.spring.autoconfigure.LlmixKeyPools;
import dev.llmix.spring.autoconfigure.LlmixProperties;
import dev.llmix.spring.autoconfigure.LlmixProviderAdapter;
import dev.llmix.spring.autoconfigure.LlmixProviderAdapters;
import dev.llmix.providers.ProviderAdapters;
import dev.llmix.spring.autoconfigure.LlmixProviderAdapterAutoConfiguration;
import dev.llmix.spring.autoconfigure.diagnostics.InvalidLlmixConfigurationException;
import dev.llmix.springai.LlmixChatModel;
import dev.llmix.springai.dispatch.DelegateObservations;
import dev.llmix.springai.dispatch.SpringAiDispatch;
import io.micrometer.observation.ObservationPredicate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.ai.chat.model.ChatModel;

/**
 * Spring AI {@code ChatModel} beans as the dispatch of LLMix providers ({@code llmix.provider.<name>.spring-ai-model}):
 * a dispatch routing those providers to a {@link SpringAiDispatch} each and every other provider to its enabled
 * built-in adapter, placeholder key pools for providers whose delegate holds its own credentials, and the predicate
 * that keeps delegates from observing a call LLMix already observes. Runs before {@link LlmixAutoConfiguration} so its
 * dispatch and key pools replace the defaults; an application {@code DispatchFunction} bean wins over it.
 */
@AutoConfiguration(before = LlmixAutoConfiguration.class, after = LlmixProviderAdapterAutoConfiguration.class)
@ConditionalOnClass({ChatModel.class, SpringAiDispatch.class})
@Conditional(OnSpringAiProviderModels.class)
@EnableConfigurationProperties({LlmixProperties.class, LlmixSpringAiProperties.class})
public final class LlmixSpringAiDispatchAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LlmixSpringAiDispatchAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    DispatchFunction llmixDispatchFunction(Environment environment, ListableBeanFactory beans,
            ObjectProvider<LlmixProviderAdapters> builtIn, ObjectProvider<LlmixProviderAdapter> custom) {
        Map<String, String> models = SpringAiProviderModels.read(environment);
        Map<String, DispatchFunction> routes = new LinkedHashMap<>();
        models.forEach((provider, beanName) -> {
            String property = "llmix.provider." + provider + ".spring-ai-model";
            if (SpringAiProviderModels.adapterEnabled(environment, provider)) {
                throw new InvalidLlmixConfigurationException(property,
                        "provider \"" + provider + "\" is served both by the built-in adapter (llmix.provider."
                                + provider + ".enabled=true) and by a Spring AI model",
                        "Choose one: remove llmix.provider." + provider + ".enabled or " + property + ".", null);
            }
            ChatModel model = chatModel(beans, property, beanName);
            Integer retries = SpringAiDispatch.maxRetriesOf(model);
            if (retries != null && retries > 0) {
                log.warn("Spring AI model '{}' serving LLMix provider {} retries {} times itself; LLMix already "
                        + "retries. Set its max retries to 0 (spring.ai.openai.max-retries=0 for OpenAI).",
                        beanName, provider, retries);
            }
            routes.put(provider, SpringAiDispatch.builder(model).provider(provider).build());
        });
        custom.orderedStream().forEach(a -> routes.putIfAbsent(a.name(), a.dispatch()));
        // Every other provider goes to its enabled built-in adapter; an unserved one fails locally.
        LlmixProviderAdapters adapters = builtIn.getIfAvailable();
        return adapters == null ? ProviderAdapters.routing(Map.of(), routes) : adapters.routing(routes);
    }

    private static ChatModel chatModel(ListableBeanFactory beans, String property, String beanName) {
        if (!beans.containsBean(beanName)) {
            throw new InvalidLlmixConfigurationException(property, "no bean named \"" + beanName + "\"; ChatModel "
                    + "beans: " + Arrays.toString(beans.getBeanNamesForType(ChatModel.class, true, false)),
                    "Name a Spring AI ChatModel bean, e.g. openAiChatModel.", null);
        }
        Class<?> type = beans.getType(beanName);
        if (type != null && LlmixChatModel.class.isAssignableFrom(type)) {
            throw new InvalidLlmixConfigurationException(property, "bean \"" + beanName + "\" is the LlmixChatModel; "
                    + "LLMix would call itself", "Name the Spring AI model of the provider, not LlmixChatModel.",
                    null);
        }
        Object bean = beans.getBean(beanName);
        if (!(bean instanceof ChatModel model)) {
            throw new InvalidLlmixConfigurationException(property, "bean \"" + beanName + "\" is not a Spring AI "
                    + "ChatModel", "Name a ChatModel bean.", null);
        }
        if (model instanceof LlmixChatModel) {
            throw new InvalidLlmixConfigurationException(property, "bean \"" + beanName + "\" is the LlmixChatModel; "
                    + "LLMix would call itself", "Name the Spring AI model of the provider, not LlmixChatModel.",
                    null);
        }
        return model;
    }

    @Bean
    @ConditionalOnMissingBean
    LlmixKeyPools llmixKeyPools(LlmixProperties properties, Environment environment) {
        LlmixKeyPools configured = LlmixKeyPools.of(properties.getKeys(), properties.getProvider(),
                environment::getProperty);
        Map<String, KeyPool> pools = new LinkedHashMap<>(configured.pools());
        for (String provider : SpringAiProviderModels.read(environment).keySet()) {
            if (pools.containsKey(provider)) {
                log.warn("API keys configured for LLMix provider {} are unused: its Spring AI model holds its own "
                        + "credentials", provider);
            }
            // The delegate authenticates itself; the placeholder is masked and never sent.
            pools.put(provider, new KeyPool(List.of(SpringAiDispatch.DELEGATE_CREDENTIALS_KEY)));
        }
        return new LlmixKeyPools(pools);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "llmix.spring-ai.dispatch.delegate-observations", havingValue = false,
            matchIfMissing = true)
    static ObservationPredicate llmixDelegateObservationsPredicate() {
        return DelegateObservations.predicate();
    }
}
