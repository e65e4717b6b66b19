package dev.llmix.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.client.CallOptions;
import dev.llmix.client.LlmixClient;
import dev.llmix.client.Message;
import dev.llmix.config.CachingStrategy;
import dev.llmix.config.LlmConfig;
import dev.llmix.keys.KeyPool;
import dev.llmix.cache.TwoTierCache;
import dev.llmix.spi.CacheHitTier;
import dev.llmix.pipeline.CallPipeline;
import dev.llmix.spi.DispatchContext;
import dev.llmix.spi.LlmUsage;
import dev.llmix.pipeline.PipelineConfig;
import dev.llmix.spi.ProviderResult;
import dev.llmix.tools.Tool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tools acceptance checks 40 and 43–46 (41 for openai and novita): schemas, parsing, repair and caching. */
class StructuredOutputTest {

    enum Color { RED, GREEN }

    record Address(String street, String city) {
    }

    record Person(String name, int age, @Nullable String email, List<Address> addresses, Color color) {
    }

    record Tagged(String name, Map<String, String> tags) {
    }

    private static final LlmConfig CONFIG = LlmConfig.builder("openai", "gpt-4o-mini")
            .caching(CachingStrategy.MEMORY).build();
    private static final String ADA = "{\"name\":\"Ada\",\"age\":36,\"email\":null,\"addresses\":[{\"street\":"
            + "\"1 Main St\",\"city\":\"London\"}],\"color\":\"RED\"}";
    private static final Person ADA_PERSON = new Person("Ada", 36, null,
            List.of(new Address("1 Main St", "London")), Color.RED);

    @TempDir
    Path stateDir;

    private final List<CallPipeline> pipelines = new ArrayList<>();
    private final List<DispatchContext> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        pipelines.forEach(CallPipeline::close);
    }

    private LlmixClient client(Function<Integer, ProviderResult> script) {
        AtomicInteger n = new AtomicInteger();
        CallPipeline p = new CallPipeline(PipelineConfig.builder().maxRetries(0).stateDir(stateDir)
                .env(name -> null).responseCache(TwoTierCache.builder().strategy(CachingStrategy.MEMORY).maxItems(8)
                        .ttl(Duration.ofSeconds(60)).build()).build(), ctx -> {
                            seen.add(ctx);
                            return CompletableFuture.completedFuture(script.apply(n.getAndIncrement()));
                        });
        for (String provider : List.of("openai", "novita")) {
            p.setKeyPool(provider, new KeyPool(List.of("test-key")));
        }
        pipelines.add(p);
        return new LlmixClient(p, (module, preset) -> CONFIG);
    }

    private static ProviderResult text(String content) {
        return new ProviderResult(content, "gpt-4o-mini", LlmUsage.of(5, 5, 10), null, null, "stop", null);
    }

    private static final List<Message> ASK = List.of(Message.user("Who is Ada?"));

    // 40
    @Test
    @SuppressWarnings("unchecked")
    void recordSchemaIsClosedRequiredAndNullableAsAnyOf() {
        Map<String, Object> schema = (Map<String, Object>) (Map<String, ?>) JsonSchemas.strict(Person.class);
        Map<String, Object> props = (Map<String, Object>) schema.get("properties");

        assertThat(schema).doesNotContainKey("$schema");
        assertThat(schema.get("additionalProperties")).isEqualTo(false);
        assertThat(schema.get("required")).isEqualTo(List.of("name", "age", "email", "addresses", "color"));
        assertThat(props.keySet()).containsExactly("name", "age", "email", "addresses", "color");
        assertThat(props.get("age")).isEqualTo(Map.of("type", "integer"));
        assertThat(props.get("email")).isEqualTo(Map.of("anyOf", List.of(Map.of("type", "null"),
                Map.of("type", "string"))));
        assertThat(((Map<String, Object>) props.get("color")).get("enum")).isEqualTo(List.of("RED", "GREEN"));
        Map<String, Object> address = (Map<String, Object>) ((Map<String, Object>) props.get("addresses")).get("items");
        assertThat(address.get("additionalProperties")).isEqualTo(false);
        assertThat(address.get("required")).isEqualTo(List.of("street", "city"));

        assertThatThrownBy(() -> JsonSchemas.strict(Tagged.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/properties/tags");
        assertThat(Tool.of("person", null, Person.class).strict()).isTrue();
    }

    // 41 (openai)
    @Test
    void openAiGetsTheJsonSchemaResponseFormat() {
        LlmixClient client = client(n -> text(ADA));
        client.callForObject(CONFIG, ASK, Person.class);

        Object format = seen.get(0).kwargs().get("response_format");
        assertThat(format).isEqualTo(Map.of("type", "json_schema", "json_schema", Map.of("name", "Person",
                "schema", JsonSchemas.strict(Person.class), "strict", true)));
    }

    // 41 (novita)
    @Test
    @SuppressWarnings("unchecked")
    void novitaGetsTheSchemaAsASystemMessage() {
        LlmixClient client = client(n -> text(ADA));
        client.callForObject(LlmConfig.builder("novita", "qwen").build(), List.of(Message.system("be brief"),
                Message.user("Who?")), Person.class);

        List<?> messages = seen.get(0).messages();
        assertThat(((Map<String, Object>) messages.get(0)).get("content")).isEqualTo("be brief");
        assertThat((String) ((Map<String, Object>) messages.get(1)).get("content"))
                .startsWith("Respond with only a JSON object that matches this JSON Schema: {\"type\":\"object\"");
        assertThat(((Map<String, Object>) messages.get(2)).get("content")).isEqualTo("Who?");
    }

    // 43
    @Test
    void validJsonBindsAndEveryFailureHasItsReason() {
        assertThat(client(n -> text(ADA)).callForObject(CONFIG, ASK, Person.class)).isEqualTo(ADA_PERSON);
        assertThat(client(n -> text("```json\n" + ADA + "\n```")).callForObject(CONFIG, ASK, Person.class))
                .isEqualTo(ADA_PERSON);

        assertFailure(text("{\"name\":"), StructuredOutputException.Reason.INVALID_JSON, "{\"name\":");
        assertFailure(text(ADA.replace("\"color\"", "\"extra\":1,\"color\"")),
                StructuredOutputException.Reason.SCHEMA_MISMATCH, null);
        assertFailure(text(ADA.replace("\"age\":36,", "")), StructuredOutputException.Reason.SCHEMA_MISMATCH, null);
        assertFailure(text(ADA.replace("\"name\":\"Ada\"", "\"name\":null")),
                StructuredOutputException.Reason.SCHEMA_MISMATCH, null);
        assertFailure(new ProviderResult("", "m", LlmUsage.ZERO, null, null, "stop", "I can't help"),
                StructuredOutputException.Reason.REFUSAL, "I can't help");
        assertFailure(new ProviderResult("{\"name\":\"A", "m", LlmUsage.ZERO, null, null, "length", null),
                StructuredOutputException.Reason.TRUNCATED, null);
    }

    private void assertFailure(ProviderResult reply, StructuredOutputException.Reason reason, @Nullable String raw) {
        seen.clear();
        LlmixClient client = client(n -> reply);
        assertThatThrownBy(() -> client.callForObject(CONFIG, ASK, Person.class, CallOptions.builder()
                .caching(CachingStrategy.DISABLED).build(), StructuredOutputOptions.defaults()))
                .isInstanceOfSatisfying(StructuredOutputException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.attempts()).isEqualTo(1);
                    if (raw != null) {
                        assertThat(e.rawContent()).isEqualTo(raw);
                    }
                    assertThat(e.getMessage()).startsWith("structured output for Person failed (" + reason + "): ");
                });
        assertThat(seen).hasSize(1);
    }

    // 44
    @Test
    @SuppressWarnings("unchecked")
    void oneRepairCallFollowsAnInvalidAnswer() {
        LlmixClient client = client(n -> n == 0 ? text("{\"name\":") : text(ADA));
        Person p = client.callForObject(CONFIG, ASK, Person.class, CallOptions.none(),
                StructuredOutputOptions.repairAttempts(1));

        assertThat(p).isEqualTo(ADA_PERSON);
        assertThat(seen).hasSize(2);
        List<?> second = seen.get(1).messages();
        assertThat(((Map<String, Object>) second.get(1)).get("content")).isEqualTo("{\"name\":");
        assertThat((String) ((Map<String, Object>) second.get(2)).get("content"))
                .startsWith("Your previous reply was not valid for the required JSON schema: ")
                .endsWith(". Reply again with only the corrected JSON.");

        seen.clear();
        LlmixClient failing = client(n -> text("nope"));
        assertThatThrownBy(() -> failing.callForObject(CONFIG, ASK, Person.class, CallOptions.none(),
                StructuredOutputOptions.repairAttempts(1)))
                .isInstanceOfSatisfying(StructuredOutputException.class, e -> assertThat(e.attempts()).isEqualTo(2));
    }

    // 45
    @Test
    void onlyValidAnswersAreCached() {
        LlmixClient invalid = client(n -> text("{\"name\":"));
        StructuredResult<Person> first = invalid.callForObjectResult(CONFIG, ASK, Person.class, CallOptions.none(),
                StructuredOutputOptions.defaults());
        StructuredResult<Person> again = invalid.callForObjectResult(CONFIG, ASK, Person.class, CallOptions.none(),
                StructuredOutputOptions.defaults());
        assertThat(first.isSuccess()).isFalse();
        assertThat(again.response().cacheHit()).isNull();
        assertThat(seen).hasSize(2);

        seen.clear();
        LlmixClient valid = client(n -> text(ADA));
        Person fresh = valid.callForObject(CONFIG, ASK, Person.class);
        StructuredResult<Person> hit = valid.callForObjectResult(CONFIG, ASK, Person.class, CallOptions.none(),
                StructuredOutputOptions.defaults());
        assertThat(seen).hasSize(1);
        assertThat(hit.response().cacheHit()).isEqualTo(CacheHitTier.L1);
        assertThat(hit.value()).isEqualTo(fresh);
    }

    // 46
    @Test
    void toolsOrAResponseFormatInTheOptionsAreRejected() {
        LlmixClient client = client(n -> text(ADA));
        assertThatThrownBy(() -> client.callForObject(CONFIG, ASK, Person.class, CallOptions.builder()
                .responseFormat(Map.of("type", "json_object")).build(), StructuredOutputOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("callForObject sets responseFormat itself");
        assertThatThrownBy(() -> client.callForObject(CONFIG, ASK, Person.class, CallOptions.builder()
                .tools(Tool.function("t", null)).build(), StructuredOutputOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("callForObject does not combine with tools; use callWithTools");
        assertThatThrownBy(() -> client.callForObject(CONFIG, ASK, String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("callForObject needs a record or bean type; wrap a list in a record");
        assertThat(seen).isEmpty();
    }
}
