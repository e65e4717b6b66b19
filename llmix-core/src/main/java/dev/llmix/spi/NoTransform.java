package dev.llmix.spi;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The singleton behind {@link TransformKwargsCallback#none()}; an enum so it is one value, also after deserialising. */
public enum NoTransform implements TransformKwargsCallback {
    INSTANCE;

    @Override
    public Map<String, @Nullable Object> apply(TransformKwargsContext ctx, Map<String, @Nullable Object> kwargs) {
        return kwargs;
    }

    @Override
    public String toString() {
        return "TransformKwargsCallback.none()";
    }
}
