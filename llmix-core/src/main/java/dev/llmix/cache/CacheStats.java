package dev.llmix.cache;

import dev.llmix.config.CachingStrategy;

/**
 * A point-in-time view of a {@link TwoTierCache}: sizes, L2 state and lookup counters. Counters are totals since the
 * cache was built; {@link TwoTierCache#clear()} does not reset them.
 *
 * @param l1Size           current number of L1 entries (evictions are reflected immediately)
 * @param l1Max            the configured L1 capacity
 * @param l2Enabled        whether the cache has an L2 tier (fixed at construction)
 * @param l2Healthy        whether L2 is currently used (false after a failed connect, three consecutive write failures
 *                         or a failed health ping, until recovery)
 * @param strategy         the construction strategy: {@code redis}, {@code redis-or-memory} or {@code memory}
 * @param l1Hits           lookups served by L1
 * @param l2Hits           lookups served by L2 (and backfilled into L1)
 * @param misses           lookups served by neither tier
 * @param l2Errors         failed L2 reads, writes and connects
 * @param malformedEntries L2 entries ignored because they were not valid payloads
 */
public record CacheStats(
        long l1Size,
        int l1Max,
        boolean l2Enabled,
        boolean l2Healthy,
        CachingStrategy strategy,
        long l1Hits,
        long l2Hits,
        long misses,
        long l2Errors,
        long malformedEntries) {

    /** All lookups counted so far: hits on either tier plus misses. */
    public long lookups() {
        return l1Hits + l2Hits + misses;
    }
}
