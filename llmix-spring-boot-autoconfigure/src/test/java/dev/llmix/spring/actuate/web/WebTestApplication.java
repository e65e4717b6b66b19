package dev.llmix.spring.actuate.web;

import dev.llmix.cache.TwoTierCache;
import dev.llmix.keys.KeyPool;
import dev.llmix.pipeline.CallListener;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.pipeline.KillSwitchGate;
import dev.llmix.spring.testing.ScriptedLlm;
import dev.llmix.spring.testing.TestPipelines;
import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A web application with a scripted provider, for the Actuator tests over real HTTP. */
@SpringBootApplication
public class WebTestApplication {

    @Bean
    ScriptedLlm scriptedLlm() {
        return new ScriptedLlm();
    }

    // Interim: until the main auto-configuration lands, the pipeline is built here with the hooks it would pass.
    @Bean(destroyMethod = "close")
    CallPipeline callPipeline(ScriptedLlm llm, ObjectProvider<CallListener> listener,
            ObjectProvider<KillSwitchGate> gate, @Value("${test.state-dir}") Path stateDir) {
        CallPipeline p = new CallPipeline(TestPipelines.options(stateDir)
                .responseCache(TwoTierCache.builder().maxItems(100).build())
                .callListener(listener.getIfUnique())
                .killSwitchGate(gate.getIfUnique())
                .build(), llm);
        p.setKeyPool("openai", new KeyPool(ScriptedLlm.TEST_KEYS));
        return p;
    }
}
