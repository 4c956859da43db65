package dev.infra.plugin;

/** The marker of a value not known until apply (previews only). On the wire: {@code {"$unknown": true}}. */
public final class Unknown {
    /** The one unknown value. */
    public static final Unknown VALUE = new Unknown();

    private Unknown() {
    }

    @Override
    public String toString() {
        return "[unknown]";
    }
}
