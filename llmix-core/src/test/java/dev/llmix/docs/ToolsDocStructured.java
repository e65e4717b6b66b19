package dev.llmix.docs;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.structured.StructuredOutputException;
import java.util.List;
import org.jspecify.annotations.Nullable;

class ToolsDocStructured {

    @JsonClassDescription("A person mentioned in the text")
    record Person(String name, int age, @Nullable String email) {
    }

    static @Nullable Person extract(LlmixClient client, String text) {
        try {
            return client.callForObject("chat", "extract", List.of(Message.user(text)), Person.class);
        } catch (StructuredOutputException e) {
            // e.reason() says why (CALL_FAILED, REFUSAL, TRUNCATED, EMPTY, INVALID_JSON, SCHEMA_MISMATCH);
            // e.rawContent() holds the answer as received.
            return null;
        }
    }
}
