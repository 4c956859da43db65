using System.Text.RegularExpressions;

namespace Infra.Providers.Postgres.Sql;

/// <summary>
/// Validates and quotes SQL identifiers and the few literals the provider writes. Names are checked before any
/// connection is opened, so a name like <c>acme"; DROP DATABASE x; --</c> fails with one line and runs nothing;
/// every name is still quoted, so even a valid name never reaches SQL unquoted.
/// </summary>
internal static partial class Identifiers
{
    /// <summary>The longest identifier PostgreSQL keeps (NAMEDATALEN - 1 bytes).</summary>
    public const int MaxLength = 63;

    /// <summary>The pseudo-role every role belongs to; valid only as a grantee.</summary>
    public const string Public = "PUBLIC";

    /// <summary>Returns why <paramref name="name"/> cannot be used as a <paramref name="what"/> name, or <see langword="null"/>.</summary>
    public static string? Problem(string what, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return $"the {what} name is empty";
        }

        if (name.Length > MaxLength || !NamePattern().IsMatch(name))
        {
            return $"{ErrorText.Quote(name)} is not a valid {what} name: use 1 to {MaxLength} letters, digits, '_' or '-', starting with a letter or '_'";
        }

        return null;
    }

    /// <summary>Throws unless <paramref name="name"/> is a valid name.</summary>
    /// <exception cref="ResourceException">The name is invalid.</exception>
    public static string Require(string urn, string what, string? name) =>
        Problem(what, name) is { } problem ? throw new ResourceException(urn, problem + ".") : name!;

    /// <summary>A role name or <c>PUBLIC</c>.</summary>
    public static string RequireGrantee(string urn, string? name) =>
        string.Equals(name, Public, StringComparison.OrdinalIgnoreCase) ? Public : Require(urn, "role", name);

    /// <summary>Quotes an identifier: <c>tenant_acme</c> becomes <c>"tenant_acme"</c>.</summary>
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Quotes a grantee: <c>PUBLIC</c> stays a keyword, a role is quoted.</summary>
    public static string QuoteGrantee(string name) => name == Public ? Public : Quote(name);

    /// <summary>
    /// Quotes a string literal for statements that take no parameters (utility statements such as CREATE ROLE).
    /// Callers pass only values that match a narrow pattern (encodings, versions, SCRAM verifiers); doubling quotes
    /// is then exact under <c>standard_conforming_strings</c>, which the provider requires.
    /// </summary>
    public static string Literal(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException("literals with NUL or backslash are never written into SQL", nameof(value));
        }

        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>True for values that may be written as literals: encoding names, extension versions.</summary>
    public static bool IsPlainWord(string? value) => value is { Length: > 0 and <= 64 } && WordPattern().IsMatch(value);

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9._-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
