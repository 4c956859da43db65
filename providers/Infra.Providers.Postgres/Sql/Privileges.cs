using System.Collections.Immutable;

namespace Infra.Providers.Postgres.Sql;

/// <summary>The object kinds a grant or revoke applies to, and the privileges each accepts.</summary>
internal static class Privileges
{
    public const string Database = "database";
    public const string Schema = "schema";
    public const string Table = "table";

    private static readonly ImmutableDictionary<string, ImmutableArray<string>> s_byObjectType = new Dictionary<string, ImmutableArray<string>>
    {
        [Database] = ["CONNECT", "CREATE", "TEMPORARY"],
        [Schema] = ["CREATE", "USAGE"],
        [Table] = ["DELETE", "INSERT", "REFERENCES", "SELECT", "TRIGGER", "TRUNCATE", "UPDATE"],
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>The object types a grant accepts.</summary>
    public static IEnumerable<string> ObjectTypes => s_byObjectType.Keys.Order(StringComparer.Ordinal);

    /// <summary>Every privilege of an object type, in order.</summary>
    public static ImmutableArray<string> All(string objectType) => s_byObjectType[objectType];

    /// <summary>
    /// Upper-cases, expands <c>ALL</c>, maps <c>TEMP</c> to <c>TEMPORARY</c>, sorts and de-duplicates, so equal
    /// sets always compare equal; returns the first unknown privilege in <paramref name="unknown"/>.
    /// </summary>
    public static ImmutableArray<string> Normalize(string objectType, IEnumerable<string> privileges, out string? unknown) =>
        Normalize(s_byObjectType[objectType], privileges, out unknown, temporaryAlias: objectType == Database);

    /// <summary>Normalizes <paramref name="privileges"/> against the <paramref name="valid"/> ones (see the other overload).</summary>
    public static ImmutableArray<string> Normalize(ImmutableArray<string> valid, IEnumerable<string> privileges, out string? unknown, bool temporaryAlias = false)
    {
        unknown = null;
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var raw in privileges)
        {
            var privilege = raw.Trim().ToUpperInvariant();
            if (privilege is "ALL" or "ALL PRIVILEGES")
            {
                result.UnionWith(valid);
            }
            else if (privilege == "TEMP" && temporaryAlias)
            {
                result.Add("TEMPORARY");
            }
            else if (valid.Contains(privilege))
            {
                result.Add(privilege);
            }
            else
            {
                unknown ??= raw;
            }
        }

        return [.. result];
    }

    /// <summary>
    /// The privileges a grantee holds by default on a fresh object (PostgreSQL's <c>acldefault</c>): the owner holds
    /// all, and PUBLIC holds CONNECT and TEMPORARY on databases. Nobody chose these, so a grant may narrow them
    /// without that being a conflict.
    /// </summary>
    public static ImmutableArray<string> Defaults(string objectType, string grantee, string owner)
    {
        if (grantee == owner)
        {
            return All(objectType);
        }

        return grantee == Identifiers.Public && objectType == Database ? ["CONNECT", "TEMPORARY"] : [];
    }

    /// <summary>The SQL object keyword for GRANT ... ON &lt;keyword&gt;.</summary>
    public static string Keyword(string objectType) => objectType switch
    {
        Database => "DATABASE",
        Schema => "SCHEMA",
        _ => "TABLE",
    };
}
