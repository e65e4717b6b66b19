package dev.llmix.fleetit;

import java.io.IOException;
import java.io.InputStream;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * One fleet member of the multi-process test: a Spring Boot application with the LLMix starter that prints
 * {@code READY port=<n>} once it serves HTTP, and exits when its standard input closes, so that no process outlives
 * the test that started it.
 */
@SpringBootApplication
public class FleetItApplication {

    /**
     * Starts the application.
     *
     * @param args Spring Boot arguments ({@code --name=value})
     */
    public static void main(String[] args) {
        Thread watchdog = new Thread(FleetItApplication::exitWhenParentGone, "it-stdin-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        SpringApplication.run(FleetItApplication.class, args);
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        Environment env = event.getApplicationContext().getEnvironment();
        System.out.println("READY port=" + env.getProperty("local.server.port"));
        System.out.flush();
    }

    /** The test holds our stdin open; end of input means it is gone (even killed), so we go too. */
    private static void exitWhenParentGone() {
        InputStream in = System.in;
        byte[] buffer = new byte[64];
        try {
            while (in.read(buffer) >= 0) {
                // nothing is sent; reading only waits for end of input
            }
        } catch (IOException e) {
            // a broken pipe also means the parent is gone
        }
        Runtime.getRuntime().halt(3);
    }
}
