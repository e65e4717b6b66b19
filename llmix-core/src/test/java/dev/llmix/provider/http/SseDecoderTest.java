package dev.llmix.provider.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmix.spi.ProviderException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared SSE decoding rules (docs/streaming.md, "SSE decoding"). */
class SseDecoderTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private static List<String> decode(byte[] input, int... cuts) {
        List<String> events = new ArrayList<>();
        SseDecoder d = new SseDecoder(1024, (type, data) -> events.add(type + "|" + data));
        int from = 0;
        for (int c : cuts) {
            d.feed(ByteBuffer.wrap(input, from, c - from));
            from = c;
        }
        d.feed(ByteBuffer.wrap(input, from, input.length - from));
        d.end();
        return events;
    }

    // 1
    @Test
    void everySplitOfTheSameBytesYieldsTheSameEvents() {
        String text = "data: first\r\n\r\n: keep-alive\n"
                + "event: delta\ndata:no space\ndata:  two spaces\r\rdata: é and 🦊\n\n"
                + "id: 7\nretry: 10\nunknown: x\ndata: last";
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[BOM.length + body.length];
        System.arraycopy(BOM, 0, input, 0, BOM.length);
        System.arraycopy(body, 0, input, BOM.length, body.length);
        List<String> expected = List.of("null|first", "delta|no space\n two spaces", "null|é and 🦊", "null|last");
        assertThat(decode(input)).isEqualTo(expected);
        for (int i = 0; i <= input.length; i++) {
            assertThat(decode(input, i)).as("split at %d", i).isEqualTo(expected);
        }
        for (int i = 0; i <= input.length; i += 3) {
            for (int j = i; j <= input.length; j += 5) {
                assertThat(decode(input, i, j)).as("split at %d and %d", i, j).isEqualTo(expected);
            }
        }
    }

    @Test
    void invalidBytesBecomeReplacementCharacters() {
        byte[] input = {'d', 'a', 't', 'a', ':', (byte) 0xC3, '\n', '\n'};
        assertThat(decode(input)).containsExactly("null|\uFFFD");
    }

    @Test
    void aLineOverTheLimitFails() {
        SseDecoder d = new SseDecoder(1024, (type, data) -> { });
        assertThatThrownBy(() -> d.feed(ByteBuffer.wrap(("data: " + "x".repeat(2000)).getBytes(
                StandardCharsets.UTF_8))))
                .isInstanceOf(ProviderException.class)
                .hasMessage("provider stream event exceeds the limit of 1024 bytes")
                .satisfies(e -> assertThat(((ProviderException) e).isNetworkError()).isTrue());
    }

    @Test
    void eventDataOverTheLimitFails() {
        SseDecoder d = new SseDecoder(1024, (type, data) -> { });
        String line = "data: " + "x".repeat(600) + "\n";
        assertThatThrownBy(() -> d.feed(ByteBuffer.wrap((line + line).getBytes(StandardCharsets.UTF_8))))
                .hasMessage("provider stream event exceeds the limit of 1024 bytes");
    }
}
