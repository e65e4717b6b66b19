package dev.llmix.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SingleflightTest {

    private static final long TIMEOUT_S = 30;

    private final Singleflight<String> singleflight = new Singleflight<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(64);

    @AfterEach
    void shutDown() {
        pool.shutdownNow();
    }

    @Test
    void threeConcurrentCallsShareOneExecution() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<String> gate = new CompletableFuture<>();
        List<CompletableFuture<String>> results = callConcurrently(3, Singleflight.makeKey("test-request"), () -> {
            runs.incrementAndGet();
            return gate;
        });
        assertThat(singleflight.inFlightCount()).isEqualTo(1);

        gate.complete("result");

        for (CompletableFuture<String> result : results) {
            assertThat(result.get(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo("result");
        }
        assertThat(runs).hasValue(1);
        assertThat(singleflight.inFlightCount()).isZero();
    }

    @Test
    void concurrentFailingCallsAllReceiveTheSameOriginalError() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<String> gate = new CompletableFuture<>();
        IllegalStateException boom = new IllegalStateException("boom");
        List<CompletableFuture<String>> results = callConcurrently(2, Singleflight.makeKey("failing"), () -> {
            runs.incrementAndGet();
            return gate;
        });

        gate.completeExceptionally(boom);

        for (CompletableFuture<String> result : results) {
            assertThatThrownBy(() -> result.get(TIMEOUT_S, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isSameAs(boom);
            assertThat(result.handle((v, e) -> e).join()).isSameAs(boom);
            assertThatThrownBy(result::join).isInstanceOf(CompletionException.class).cause().isSameAs(boom);
        }
        assertThat(runs).hasValue(1);
        assertThat(singleflight.inFlightCount()).isZero();
    }

    @Test
    void wrappedFailureIsUnwrappedToTheOriginalException() {
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<String> gate = new CompletableFuture<>();

        CompletableFuture<String> result = singleflight.execute("k", () -> gate.thenApply(v -> v));
        gate.completeExceptionally(boom);

        assertThat(result.handle((v, e) -> e).join()).isSameAs(boom);
    }

    @Test
    void makeKeyIsLowercaseHexSha256OfUtf8() {
        String hello = Singleflight.makeKey("hello");

        assertThat(hello).hasSize(64).matches("[0-9a-f]{64}")
                .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
                .isEqualTo(Singleflight.makeKey("hello"))
                .isNotEqualTo(Singleflight.makeKey("world"));
        assertThat(Singleflight.makeKey("\u00E9")).isEqualTo("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
    }

    @Test
    void thousandConcurrentIdenticalCallsRunTheFunctionOnce() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<String> gate = new CompletableFuture<>();
        List<CompletableFuture<String>> results = callConcurrently(1_000, "same", () -> {
            runs.incrementAndGet();
            return gate;
        });

        gate.complete("result");

        int answered = 0;
        for (CompletableFuture<String> result : results) {
            assertThat(result.get(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo("result");
            answered++;
        }
        assertThat(answered).isEqualTo(1_000);
        assertThat(runs).hasValue(1);
        assertThat(singleflight.inFlightCount()).isZero();
    }

    @Test
    void manyThreadsWithOverlappingKeysAndRandomFailuresLeaveNothingBehind() throws Exception {
        int threads = 64;
        int callsPerThread = 300;
        ExecutorService completer = Executors.newFixedThreadPool(4);
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger unexpected = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < callsPerThread; i++) {
                        String key = "k" + random.nextInt(16);
                        CompletableFuture<String> result = singleflight.execute(key, () -> outcome(key, completer));
                        try {
                            String value = result.get(TIMEOUT_S, TimeUnit.SECONDS);
                            if (value.equals(key)) {
                                succeeded.incrementAndGet();
                            } else {
                                unexpected.incrementAndGet();
                            }
                        } catch (ExecutionException e) {
                            if (e.getCause() instanceof IllegalStateException ise && ise.getMessage().equals(key)) {
                                failed.incrementAndGet();
                            } else {
                                unexpected.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
        } finally {
            completer.shutdownNow();
        }

        assertThat(unexpected).hasValue(0);
        assertThat(succeeded.get() + failed.get()).isEqualTo(threads * callsPerThread);
        assertThat(succeeded.get()).isPositive();
        assertThat(failed.get()).isPositive();
        assertThat(singleflight.inFlightCount()).isZero();
    }

    @Test
    void followerCancellationDoesNotCancelTheLeader() throws Exception {
        CompletableFuture<String> gate = new CompletableFuture<>();
        CompletableFuture<String> leader = singleflight.execute("k", () -> gate);
        CompletableFuture<String> follower = singleflight.execute("k", () -> gate);
        CompletableFuture<String> other = singleflight.execute("k", () -> gate);

        assertThat(follower.cancel(true)).isTrue();
        gate.complete("result");

        assertThat(gate.isCancelled()).isFalse();
        assertThat(leader.get(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo("result");
        assertThat(other.get(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo("result");
        assertThatThrownBy(follower::join).isInstanceOf(CancellationException.class);
        assertThat(singleflight.inFlightCount()).isZero();
    }

    @Test
    void leaderCancellationDoesNotCancelFollowers() throws Exception {
        CompletableFuture<String> gate = new CompletableFuture<>();
        CompletableFuture<String> leader = singleflight.execute("k", () -> gate);
        CompletableFuture<String> follower = singleflight.execute("k", () -> gate);

        leader.cancel(true);
        assertThat(singleflight.inFlightCount()).isEqualTo(1);
        gate.complete("result");

        assertThat(follower.get(TIMEOUT_S, TimeUnit.SECONDS)).isEqualTo("result");
        assertThat(singleflight.inFlightCount()).isZero();
    }

    @Test
    void functionThrowingSynchronouslyFailsTheFlight() {
        IllegalArgumentException boom = new IllegalArgumentException("bad");

        CompletableFuture<String> result = singleflight.execute("k", () -> {
            throw boom;
        });

        assertThat(result).isCompletedExceptionally();
        assertThat(result.handle((v, e) -> e).join()).isSameAs(boom);
        assertThat(singleflight.inFlightCount()).isZero();
    }

    @Test
    void functionReturningNullFailsTheFlightWithAClearMessage() {
        CompletableFuture<String> result = singleflight.execute("k", () -> null);

        assertThat(result.handle((v, e) -> e).join())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("returned null");
        assertThat(singleflight.inFlightCount()).isZero();
    }

    @Test
    void settledFlightIsNotCachedANewCallRunsAgain() {
        AtomicInteger runs = new AtomicInteger();
        Supplier<CompletionStage<String>> fn = () -> CompletableFuture.completedFuture("r" + runs.incrementAndGet());

        assertThat(singleflight.execute("k", fn).join()).isEqualTo("r1");
        assertThat(singleflight.execute("k", fn).join()).isEqualTo("r2");
        assertThat(runs).hasValue(2);
    }

    @Test
    void callFromACompletionCallbackStartsAFreshFlight() {
        CompletableFuture<String> gate = new CompletableFuture<>();
        CompletableFuture<String> second = singleflight.execute("k", () -> gate)
                .thenCompose(first -> singleflight.execute("k", () -> CompletableFuture.completedFuture(first + "+2")));

        gate.complete("1");

        assertThat(second.join()).isEqualTo("1+2");
        assertThat(singleflight.inFlightCount()).isZero();
    }

    @Test
    void differentKeysRunIndependently() {
        CompletableFuture<String> gateA = new CompletableFuture<>();
        CompletableFuture<String> a = singleflight.execute("a", () -> gateA);
        CompletableFuture<String> b = singleflight.execute("b", () -> CompletableFuture.completedFuture("b"));

        assertThat(b.join()).isEqualTo("b");
        assertThat(a).isNotDone();
        assertThat(singleflight.inFlightCount()).isEqualTo(1);
        gateA.complete("a");
        assertThat(a.join()).isEqualTo("a");
    }

    private static CompletionStage<String> outcome(String key, ExecutorService completer) {
        switch (ThreadLocalRandom.current().nextInt(5)) {
            case 0:
                throw new IllegalStateException(key);
            case 1:
                return CompletableFuture.failedFuture(new IllegalStateException(key));
            case 2:
                return CompletableFuture.supplyAsync(() -> {
                    throw new IllegalStateException(key);
                }, completer);
            case 3:
                return CompletableFuture.completedFuture(key);
            default:
                return CompletableFuture.supplyAsync(() -> key, completer);
        }
    }

    /** Calls {@code execute} from {@code count} tasks on the 64-thread pool; returns once every call has returned. */
    private List<CompletableFuture<String>> callConcurrently(int count, String key,
            Supplier<CompletionStage<String>> fn) throws InterruptedException {
        ConcurrentLinkedQueue<CompletableFuture<String>> results = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch called = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            pool.execute(() -> {
                try {
                    start.await();
                    results.add(singleflight.execute(key, fn));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    called.countDown();
                }
            });
        }
        start.countDown();
        assertThat(called.await(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
        assertThat(results).hasSize(count);
        return new ArrayList<>(results);
    }
}
