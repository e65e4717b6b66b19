package dev.llmix.spring.fleet;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when at least one of {@code llmix.fleet.{budgets,breakers,keys}.shared} is true. */
final class OnFleetFeatureCondition extends SpringBootCondition {

    private static final String[] FEATURES = {"budgets", "breakers", "keys"};

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Binder binder = Binder.get(context.getEnvironment());
        for (String f : FEATURES) {
            String name = "llmix.fleet." + f + ".shared";
            if (binder.bind(name, Boolean.class).orElse(false)) {
                return ConditionOutcome.match(name + "=true");
            }
        }
        return ConditionOutcome.noMatch("no llmix.fleet.*.shared property is true");
    }
}
