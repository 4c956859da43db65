using System.Text.RegularExpressions;

namespace Infra.Components.Database;

/// <summary>
/// Tenant ids and the postgres names derived from them. An id is 3 to 40 lowercase letters, digits and '-', so it
/// can never carry SQL; the database and the login role are both <c>tenant_&lt;id&gt;</c> (ids hold no '_', so the id
/// is recoverable from the name, which the isolation policies rely on).
/// </summary>
public static partial class TenantIds
{
    /// <summary>The prefix of tenant database and role names.</summary>
    public const string PostgresPrefix = "tenant_";

    /// <summary>Returns why <paramref name="id"/> is not a tenant id, or <see langword="null"/> when it is one.</summary>
    public static string? Problem(string? id)
    {
        if (id is null || !Pattern().IsMatch(id))
        {
            return $"{ErrorText.Quote(id)} is not a tenant id: use 3 to 40 lowercase letters, digits and '-'";
        }

        return null;
    }

    /// <summary>Throws unless <paramref name="id"/> is a tenant id.</summary>
    /// <exception cref="InfraException">It is not.</exception>
    public static string Require(string? id) => Problem(id) is { } problem ? throw new InfraException(problem + ".") : id!;

    /// <summary>The tenant's database, e.g. <c>tenant_acme</c>.</summary>
    public static string DatabaseName(string id) => PostgresPrefix + Require(id);

    /// <summary>The tenant's login role, e.g. <c>tenant_acme</c> (roles and databases are separate namespaces).</summary>
    public static string RoleName(string id) => PostgresPrefix + Require(id);

    [GeneratedRegex(@"^[a-z0-9-]{3,40}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
