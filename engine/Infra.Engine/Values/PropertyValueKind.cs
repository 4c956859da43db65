namespace Infra.Values;

/// <summary>The shape of a <see cref="PropertyValue"/>: the JSON kinds plus the two markers the engine adds.</summary>
public enum PropertyValueKind
{
    /// <summary>JSON <c>null</c>.</summary>
    Null,

    /// <summary>JSON <c>true</c> or <c>false</c>.</summary>
    Bool,

    /// <summary>A JSON number, held as a <see cref="double"/>.</summary>
    Number,

    /// <summary>A JSON string.</summary>
    String,

    /// <summary>A JSON array.</summary>
    Array,

    /// <summary>A JSON object, with keys kept in ordinal order so output is byte-stable.</summary>
    Object,

    /// <summary>A value that must never be shown or stored in plaintext. Wraps the real value.</summary>
    Secret,

    /// <summary>A value that is not known until the update runs (shown as unknown in previews).</summary>
    Unknown,
}
