package dev.llmix.spring.metrics;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/** The observations LLMix makes; see {@code docs/observability.md}. */
public enum LlmixObservationDocumentation implements ObservationDocumentation {

    /** One pipeline call, from {@code call}/{@code callAsync} to its response (cache hits and refusals included). */
    CALL {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultLlmixCallObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeys.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeys.values();
        }
    };

    /** Tags of the {@code llmix.calls} timer and span. */
    public enum LowCardinalityKeys implements KeyName {
        /** The preset's provider, e.g. {@code openai}. */
        PROVIDER {
            @Override
            public String asString() {
                return "provider";
            }
        },
        /** The preset's model (not the provider-reported version). */
        MODEL {
            @Override
            public String asString() {
                return "model";
            }
        },
        /** {@code success}, {@code failure}, {@code kill_switch}, {@code circuit_open} or {@code cancelled}. */
        OUTCOME {
            @Override
            public String asString() {
                return "outcome";
            }
        },
        /** {@code l1} or {@code l2} for a cache hit, {@code miss} after a lookup, {@code none} without one. */
        CACHE {
            @Override
            public String asString() {
                return "cache";
            }
        },
        /** {@code call} for {@code call}/{@code callAsync}, {@code stream} for a streamed call. */
        MODE {
            @Override
            public String asString() {
                return "mode";
            }
        },
        /** OpenTelemetry GenAI {@code gen_ai.operation.name}: always {@code chat}. */
        GEN_AI_OPERATION_NAME {
            @Override
            public String asString() {
                return "gen_ai.operation.name";
            }
        },
        /** OpenTelemetry GenAI {@code gen_ai.provider.name} ({@link GenAiConventions#providerName}). */
        GEN_AI_PROVIDER_NAME {
            @Override
            public String asString() {
                return "gen_ai.provider.name";
            }
        },
        /** OpenTelemetry GenAI {@code gen_ai.request.model}: the preset's model. */
        GEN_AI_REQUEST_MODEL {
            @Override
            public String asString() {
                return "gen_ai.request.model";
            }
        }
    }

    /** Span-only attributes (never metric tags). */
    public enum HighCardinalityKeys implements KeyName {
        /** Prompt tokens reported by the provider. */
        INPUT_TOKENS {
            @Override
            public String asString() {
                return "gen_ai.usage.input_tokens";
            }
        },
        /** Completion tokens reported by the provider. */
        OUTPUT_TOKENS {
            @Override
            public String asString() {
                return "gen_ai.usage.output_tokens";
            }
        },
        /** For a stream with a chunk: seconds from its start to its first chunk (OpenTelemetry GenAI name). */
        TIME_TO_FIRST_CHUNK {
            @Override
            public String asString() {
                return "gen_ai.response.time_to_first_chunk";
            }
        },
        /** OpenTelemetry GenAI {@code gen_ai.response.model}: the provider-reported model of a fresh success. */
        RESPONSE_MODEL {
            @Override
            public String asString() {
                return "gen_ai.response.model";
            }
        },
        /** OpenTelemetry {@code error.type} of a failed call ({@link GenAiConventions#errorType}); absent on success. */
        ERROR_TYPE {
            @Override
            public String asString() {
                return "error.type";
            }
        },
        /** What a fresh call cost in USD, when its model has a price (docs/cost.md). */
        COST_USD {
            @Override
            public String asString() {
                return "llmix.cost.usd";
            }
        },
        /** What a cache hit saved in USD (docs/cost.md). */
        COST_SAVED_USD {
            @Override
            public String asString() {
                return "llmix.cost.saved_usd";
            }
        }
    }
}
