package dev.llmix.resilience;

import dev.llmix.internal.resilience.GlobalConcurrencyLock;
import java.nio.file.Path;

/**
 * Child process for the cross-process lock test: takes the lock on {@code args[0]}, prints {@code LOCKED}, holds it
 * for {@code args[1]} milliseconds, prints {@code RELEASING} and only then releases it.
 */
public final class LockHolderMain {

    private LockHolderMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        GlobalConcurrencyLock lock = GlobalConcurrencyLock.atPath(Path.of(args[0]));
        lock.acquire();
        System.out.println("LOCKED");
        System.out.flush();
        Thread.sleep(Long.parseLong(args[1]));
        System.out.println("RELEASING");
        System.out.flush();
        lock.release();
        System.out.println("RELEASED");
        System.out.flush();
    }
}
