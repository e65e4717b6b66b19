/**
 * JMH benchmarks of the LLMix hot paths (cache key, pipeline orchestration, L1/L2 cache, singleflight, AIMD limiter)
 * and a report that compares a JMH result file with the project's performance targets. Not API.
 */
@NullMarked
package dev.llmix.benchmarks;

import org.jspecify.annotations.NullMarked;
