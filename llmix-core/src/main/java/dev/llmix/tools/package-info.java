/**
 * Tool definitions, tool choices and tool calls in the neutral OpenAI-shaped form that every adapter converts to and
 * from (docs/tools.md). A leaf package: it depends on Jackson only, so the pipeline and client packages can refer to it.
 */
@NullMarked
package dev.llmix.tools;

import org.jspecify.annotations.NullMarked;
