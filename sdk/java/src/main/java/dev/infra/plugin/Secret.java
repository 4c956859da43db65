package dev.infra.plugin;

import java.util.Objects;

/** A secret property value: {@code toString()} shows {@code [secret]}, never the value. On the wire: {@code {"$secret": X}}. */
public final class Secret {
    private final Object value;

    public Secret(Object value) {
        this.value = value;
    }

    /** The plaintext value; keep it out of messages and logs. */
    public Object reveal() {
        return value;
    }

    /** The value without a secret wrapper. */
    public static Object unwrap(Object value) {
        return value instanceof Secret secret ? secret.value : value;
    }

    @Override
    public String toString() {
        return "[secret]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && Objects.equals(secret.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value) * 31 + 7;
    }
}
