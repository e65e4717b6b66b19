package dev.llmix.provider.http;

import java.io.IOException;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the adapter tests that talk to a loopback {@link MockWebServer}: a fresh server per test, started before
 * the subclass's {@code @BeforeEach} methods and closed after its {@code @AfterEach} methods.
 */
abstract class LoopbackServerTest {

    final MockWebServer server = new MockWebServer();

    @BeforeEach
    final void startLoopbackServer() throws IOException {
        server.start();
    }

    @AfterEach
    final void closeLoopbackServer() {
        server.close();
    }
}
