package dev.llmix.sample.simulated;

/**
 * What the simulated provider has seen since start, for the dashboard.
 *
 * @param requests        dispatches received (every attempt, retries included)
 * @param answered        successful answers
 * @param rateLimited     429s sent (budget exhausted or spontaneous)
 * @param failed          503s sent
 * @param remaining       requests left in the current budget window
 * @param limit           the budget per window
 */
public record SimulatorStats(long requests, long answered, long rateLimited, long failed, int remaining, int limit) {
}
