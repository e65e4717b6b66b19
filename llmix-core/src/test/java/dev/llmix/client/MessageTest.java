package dev.llmix.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class MessageTest {

    @Test
    void serialisesAsRoleThenContent() {
        assertThat(JsonMapper.builder().build().writeValueAsString(Message.user("hi")))
                .isEqualTo("{\"role\":\"user\",\"content\":\"hi\"}");
    }

    @Test
    void helpersSetTheRole() {
        assertThat(Message.system("s").role()).isEqualTo("system");
        assertThat(Message.user("u").role()).isEqualTo("user");
        assertThat(Message.assistant("a").role()).isEqualTo("assistant");
    }
}
