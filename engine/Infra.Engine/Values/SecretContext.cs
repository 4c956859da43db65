using System.Text;

namespace Infra.Values;

/// <summary>
/// Where a stored secret belongs: a config key of a stack, or a property of a resource's inputs or outputs in a stack's
/// state or saved plan. A cipher binds it into the ciphertext (AES-GCM associated data), so a ciphertext decrypts only
/// where it was written: copied to another key, stack, resource or property, it fails to decrypt instead of handing
/// its plaintext to whatever reads that place. This type is the one owner of that binding's form.
/// </summary>
public readonly record struct SecretContext
{
    // Bound before every context, so no ciphertext of this form shares its associated data with one of another form.
    private const string Domain = "infra-secret/v2\0";

    private readonly string? _binding;
    private readonly string? _location;

    private SecretContext(string binding, string location)
    {
        _binding = binding;
        _location = location;
    }

    /// <summary>No place: for values that belong to no key or resource, such as a passphrase check.</summary>
    public static SecretContext None => default;

    /// <summary>The value of config key <paramref name="key"/> in the settings of <paramref name="stack"/>.</summary>
    /// <remarks>Config keys are case-insensitive, so the binding uses the key in lower case.</remarks>
    public static SecretContext ConfigValue(string stack, string key)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(key);
        return new($"config\0{stack}\0{key.ToLowerInvariant()}", $"in config key {ErrorText.Quote(key)} of stack {ErrorText.Quote(stack)}");
    }

    /// <summary>
    /// A map of resource properties in the state of <paramref name="stack"/>: the <paramref name="section"/>
    /// (<c>inputs</c> or <c>outputs</c>) of the resource <paramref name="urn"/>, or with a <see langword="null"/> URN the
    /// stack's outputs. Each secret in the map is bound to its own path within it (<see cref="At"/>).
    /// </summary>
    public static SecretContext State(string stack, string? urn, string section) => Properties("state", stack, urn, section, $"the {section}");

    /// <summary>
    /// A map of resource properties in a plan saved for <paramref name="stack"/>: <paramref name="section"/>
    /// (<c>before</c>, <c>after</c> or <c>outputs</c>) of the step for <paramref name="urn"/>, or the stack's outputs.
    /// </summary>
    public static SecretContext SavedPlan(string stack, string? urn, string section) =>
        Properties("plan", stack, urn, section, $"the saved plan's '{section}' values");

    /// <summary>True for <see cref="None"/>.</summary>
    public bool IsNone => _binding is null;

    /// <summary>
    /// The associated data a cipher binds, UTF-8: <c>infra-secret/v2</c>, then the context's kind, stack, owner (key or
    /// URN), section and path, separated by NULs.
    /// </summary>
    public byte[] AssociatedData() => Encoding.UTF8.GetBytes(Domain + _binding);

    /// <summary>
    /// The place of one value within this map: <paramref name="pointer"/> is its JSON Pointer (RFC 6901), such as
    /// <c>/password</c> or <c>/users/0/token</c>.
    /// </summary>
    public SecretContext At(string pointer)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        return IsNone ? this : new($"{_binding}\0{pointer}", $"at {ErrorText.Quote(pointer)} {_location}");
    }

    /// <summary>Names the secret for error messages: <c>the secret in config key 'app:secret' of stack 'dev'</c>.</summary>
    public override string ToString() => _location is null ? "a stored secret" : $"the secret {_location}";

    private static SecretContext Properties(string kind, string stack, string? urn, string section, string what)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(section);
        var owner = urn is null ? $"stack {ErrorText.Quote(stack)}" : ErrorText.Quote(urn);
        return new($"{kind}\0{stack}\0{urn}\0{section}", $"in {what} of {owner}");
    }
}
