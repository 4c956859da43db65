namespace Infra;

/// <summary>
/// A resolved output: a value plus whether it is known yet and whether it is secret. In a preview, values that
/// depend on resources not yet created are not known; in an update every value is known.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="Value">The value; <see langword="default"/> when not known.</param>
/// <param name="IsKnown">False in a preview when the value depends on something not yet applied.</param>
/// <param name="IsSecret">True when the value, or anything it was computed from, is a secret.</param>
public readonly record struct OutputData<T>(T Value, bool IsKnown, bool IsSecret)
{
    /// <summary>An unknown value, secret or not.</summary>
    public static OutputData<T> Unknown(bool isSecret) => new(default!, false, isSecret);

    /// <summary>Prints <c>[secret]</c> or <c>[unknown]</c> in place of values that must not or cannot be shown.</summary>
    public override string ToString() => IsSecret ? "[secret]" : IsKnown ? Value?.ToString() ?? "null" : "[unknown]";
}
