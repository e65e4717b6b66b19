package dev.llmix.providers;

import java.util.List;
import java.util.Objects;

/**
 * A declarative schema for one provider's {@code providerOptions.<namespace>} object in a preset. The preset
 * validator walks it (reporting {@code path: message} issues) and the preset JSON Schema is derived from it, so the
 * rules live in one place: the provider's descriptor.
 */
public sealed interface OptionsSchema {

    /** A closed object: only the listed fields are allowed, checked in declaration order. */
    record Obj(List<Field> fields) implements OptionsSchema {
        public Obj {
            fields = List.copyOf(fields);
        }
    }

    /** Any JSON object (contents not checked). */
    record AnyObject() implements OptionsSchema {
    }

    /** A boolean. */
    record Bool() implements OptionsSchema {
    }

    /** A string. */
    record Str() implements OptionsSchema {
    }

    /** A finite number. */
    record Num() implements OptionsSchema {
    }

    /** An integer greater than zero. */
    record PositiveInteger() implements OptionsSchema {
    }

    /** One of a fixed set of strings. */
    record OneOf(List<String> values) implements OptionsSchema {
        public OneOf {
            values = List.copyOf(values);
        }
    }

    /** An array of strings. */
    record StringArray() implements OptionsSchema {
    }

    /** A boolean, or an integer that is zero or more. */
    record BoolOrNonNegativeInteger() implements OptionsSchema {
    }

    /** An object whose keys are token ids (digits only) and whose values match {@code value}. */
    record TokenIdMap(OptionsSchema value) implements OptionsSchema {
    }

    /** An object whose values are all strings. */
    record StringMap() implements OptionsSchema {
    }

    /** An array whose items all match {@code item}. */
    record ArrayOf(OptionsSchema item) implements OptionsSchema {
    }

    /**
     * One member of an {@link Obj}.
     *
     * @param name     the JSON member name
     * @param schema   what its value must match
     * @param required whether an absent member is an issue ({@code is required})
     */
    record Field(String name, OptionsSchema schema, boolean required) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schema, "schema");
        }
    }

    /** A closed object with these fields. */
    static OptionsSchema object(Field... fields) {
        return new Obj(List.of(fields));
    }

    /** Any object: the descriptor of a provider whose options are passed through unchecked. */
    static OptionsSchema anyObject() {
        return new AnyObject();
    }

    /** An optional member. */
    static Field optional(String name, OptionsSchema schema) {
        return new Field(name, schema, false);
    }

    /** A required member. */
    static Field required(String name, OptionsSchema schema) {
        return new Field(name, schema, true);
    }

    /** A boolean. */
    static OptionsSchema bool() {
        return new Bool();
    }

    /** A string. */
    static OptionsSchema string() {
        return new Str();
    }

    /** A finite number. */
    static OptionsSchema number() {
        return new Num();
    }

    /** A positive integer. */
    static OptionsSchema positiveInteger() {
        return new PositiveInteger();
    }

    /** One of {@code values}. */
    static OptionsSchema oneOf(String... values) {
        return new OneOf(List.of(values));
    }

    /** An array of strings. */
    static OptionsSchema stringArray() {
        return new StringArray();
    }
}
