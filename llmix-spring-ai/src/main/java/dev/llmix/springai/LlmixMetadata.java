package dev.llmix.springai;

/**
 * Names of the LLMix entries {@link LlmixChatModel} puts into Spring AI response and message metadata, and into its
 * observation context.
 */
public final class LlmixMetadata {

    /** Response metadata: the LLMix provider that served the call, e.g. {@code openai}. */
    public static final String PROVIDER = "llmix.provider";
    /** Response metadata: the module of the preset. */
    public static final String MODULE = "llmix.module";
    /** Response metadata: the preset name. */
    public static final String PRESET = "llmix.preset";
    /** Response metadata: {@code l1} or {@code l2} when the response cache served the call; absent when fresh. */
    public static final String CACHE_HIT = "llmix.cacheHit";
    /** Assistant message metadata: the stripped thinking text, when there was any. */
    public static final String THINKING_CONTENT = "llmix.thinkingContent";
    /** Assistant message metadata: the provider's refusal text, when there was one. */
    public static final String REFUSAL = "llmix.refusal";
    /**
     * Assistant message metadata: tool-call id to provider continuation data (e.g. Gemini thought signatures), read
     * back when the message is replayed on the next tool-loop turn.
     */
    public static final String TOOL_CALL_EXTRA_CONTENT = "llmix.toolCallExtraContent";
    /** Observation context entry marking the bridge's own {@code gen_ai.client.operation} observation. */
    public static final String BRIDGE = "llmix.bridge";
    /** Observation context entry under which the LLMix metrics listener stores the call's {@code CallEvent}. */
    public static final String CALL_EVENT = "llmix.call.event";

    private LlmixMetadata() {
    }
}
