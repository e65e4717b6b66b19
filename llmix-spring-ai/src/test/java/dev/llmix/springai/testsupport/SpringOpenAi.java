package dev.llmix.springai.testsupport;

import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/** Spring AI's own {@link OpenAiChatModel} pointed at a {@link FakeOpenAiServer}, without SDK retries. */
public final class SpringOpenAi {

    private SpringOpenAi() {
    }

    /** An {@code OpenAiChatModel} on {@code server} with {@code apiKey}, model {@code gpt-4o-mini}, max retries 0. */
    public static OpenAiChatModel model(FakeOpenAiServer server, String apiKey) {
        return model(server.baseUrl() + "/v1", apiKey);
    }

    /** An {@code OpenAiChatModel} on {@code baseUrl} with {@code apiKey}, model {@code gpt-4o-mini}, max retries 0. */
    public static OpenAiChatModel model(String baseUrl, String apiKey) {
        return OpenAiChatModel.builder()
                .options(OpenAiChatOptions.builder()
                        .baseUrl(baseUrl)
                        .apiKey(apiKey)
                        .model("gpt-4o-mini")
                        .maxRetries(0)
                        .build())
                .build();
    }
}
