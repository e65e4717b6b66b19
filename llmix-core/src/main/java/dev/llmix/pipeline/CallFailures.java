package dev.llmix.pipeline;

import dev.llmix.spi.ProviderTimeoutException;
import dev.llmix.spi.ProviderException;
import dev.llmix.config.LlmConfigException;
import dev.llmix.keys.KeyPoolExhaustedException;
import dev.llmix.limiter.AdaptiveSemaphoreClosedException;
import dev.llmix.provider.ProviderKwargsException;
import dev.llmix.provider.http.AdapterConfigException;
import dev.llmix.resilience.CircuitOpenException;
import dev.llmix.resilience.KillSwitchActiveException;
import dev.llmix.resilience.RetryPolicy;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * Derives the {@link CallFailure} of a failed call from the exception the pipeline already classified (see
 * {@link ErrorClassifier}); runs only on failures, never on the success path.
 */
final class CallFailures {

    private CallFailures() {
    }

    static CallFailure of(Throwable failure, String provider) {
        Throwable t = ErrorClassifier.unwrap(failure);
        if (t instanceof KillSwitchActiveException) {
            return CallFailure.of(CallFailureType.KILL_SWITCH, null, false, provider);
        }
        if (t instanceof CircuitOpenException) {
            return CallFailure.of(CallFailureType.CIRCUIT_OPEN, null, true, provider);
        }
        if (t instanceof ProviderException pe && pe.statusCode() != null) {
            int status = pe.statusCode();
            return CallFailure.of(typeOfStatus(status), status, RetryPolicy.isRetryable(status), provider);
        }
        if (t instanceof CallTimeoutException || t instanceof ProviderTimeoutException
                || t instanceof TimeoutException || t instanceof HttpTimeoutException) {
            return CallFailure.of(CallFailureType.TIMEOUT, null, true, provider);
        }
        if (t instanceof KeyPoolExhaustedException) {
            return CallFailure.of(CallFailureType.RATE_LIMITED, null, true, provider);
        }
        if (t instanceof MissingKeyPoolException || t instanceof AdapterConfigException
                || t instanceof LlmConfigException || t instanceof ProviderKwargsException) {
            return CallFailure.of(CallFailureType.CONFIGURATION, null, false, provider);
        }
        if (t instanceof AdaptiveSemaphoreClosedException || t instanceof InterruptedException
                || t instanceof CancellationException) {
            return CallFailure.of(CallFailureType.SHUT_DOWN, null, false, provider);
        }
        return switch (ErrorClassifier.classify(t)) {
            case LOCAL -> CallFailure.of(CallFailureType.INVALID_REQUEST, null, false, provider);
            // A ProviderException without a status (and not a timeout), or any other I/O trouble.
            default -> CallFailure.of(CallFailureType.NETWORK, null, true, provider);
        };
    }

    /** A failure that has no exception: the pipeline or client is closed, or the caller was interrupted. */
    static CallFailure shutDown(String provider) {
        return CallFailure.of(CallFailureType.SHUT_DOWN, null, false, provider);
    }

    static CallFailureType typeOfStatus(int status) {
        if (status == 429) {
            return CallFailureType.RATE_LIMITED;
        }
        if (status == 401 || status == 403) {
            return CallFailureType.AUTHENTICATION;
        }
        if (status == 408 || status == 504) {
            return CallFailureType.TIMEOUT;
        }
        if (status >= 400 && status < 500) {
            return CallFailureType.INVALID_REQUEST;
        }
        return CallFailureType.PROVIDER_ERROR;
    }
}
