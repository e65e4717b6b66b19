package dev.llmix.springai.docs;

import dev.llmix.client.LlmixClient;
import dev.llmix.spi.DispatchFunction;
import dev.llmix.springai.LlmixChatModel;
import dev.llmix.springai.LlmixChatOptions;
import dev.llmix.springai.dispatch.SpringAiDispatch;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.tool.annotation.Tool;
import reactor.core.publisher.Flux;

/** The Java snippets of docs/spring-ai.md, verbatim, so the documentation keeps compiling. */
final class SpringAiDocSnippets {

    private SpringAiDocSnippets() {
    }

    static class Answers {
        private final ChatClient chat;

        Answers(ChatClient.Builder builder) {
            this.chat = builder.build();
        }

        String ask(String question) {
            // The default preset (llmix.spring-ai.default-*) …
            String answer = chat.prompt().user(question).call().content();
            // … or another one for this call.
            return chat.prompt().user(question)
                    .options(LlmixChatOptions.builder().module("demo").preset("fresh"))
                    .call().content();
        }
    }

    static class Programmatic {
        static ChatClient chatClient(LlmixClient llmix) {
            LlmixChatModel model = LlmixChatModel.builder(llmix)
                    .defaultOptions(LlmixChatOptions.builder().module("demo").preset("chat").build())
                    .build();
            return ChatClient.create(model);
        }
    }

    static class Weather {
        @Tool(description = "The weather in a city")
        String weather(String city) {
            return "sunny";
        }

        static String ask(ChatClient chat) {
            // Turn 1 asks for weather("Paris"); Spring AI runs the method; turn 2 answers with its result.
            return chat.prompt().user("Weather in Paris?").tools(new Weather()).call().content();
        }
    }

    static class Streams {
        static Flux<String> tokens(ChatClient chat, String question) {
            return chat.prompt().user(question).stream().content();
        }
    }

    static class Routing {
        static DispatchFunction dispatch(ChatModel ollama, DispatchFunction builtIn) {
            SpringAiDispatch viaSpring = SpringAiDispatch.builder(ollama).provider("ollama").build();
            return SpringAiDispatch.routing(Map.of("ollama", viaSpring), builtIn);
        }
    }
}
