using System.Security.Claims;

namespace Infra.Onboarding.Auth;

/// <summary>
/// The three scopes a token may carry (claim <c>scope</c>, space-separated): <c>admin</c> (everything),
/// <c>operator</c> (everything but forced deletes) and <c>tenant:&lt;id&gt;</c> (read its own tenant and operations,
/// request its own backups).
/// </summary>
internal static class Scopes
{
    public const string Claim = "scope";
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string TenantPrefix = "tenant:";

    /// <summary>True for a scope this service knows.</summary>
    public static bool IsKnown(string scope) =>
        scope is Admin or Operator || (scope.StartsWith(TenantPrefix, StringComparison.Ordinal) && Tenancy.TenantConventions.IdProblem(scope[TenantPrefix.Length..]) is null);
}

/// <summary>Who is calling, and what their token lets them do.</summary>
internal sealed class Caller
{
    private readonly HashSet<string> _scopes;

    private Caller(string subject, HashSet<string> scopes)
    {
        Subject = subject;
        _scopes = scopes;
    }

    /// <summary>The token's subject, as the audit log names the actor.</summary>
    public string Subject { get; }

    public bool IsAdmin => _scopes.Contains(Scopes.Admin);

    /// <summary>Admin or operator.</summary>
    public bool IsOperator => IsAdmin || _scopes.Contains(Scopes.Operator);

    /// <summary>The one tenant a tenant token is for, when the caller is not an operator.</summary>
    public string? OwnTenant => IsOperator ? null : _scopes.FirstOrDefault(static s => s.StartsWith(Scopes.TenantPrefix, StringComparison.Ordinal))?[Scopes.TenantPrefix.Length..];

    /// <summary>True when the caller may see the tenant: an operator, or that tenant's own token.</summary>
    public bool CanRead(string tenantId) => IsOperator || _scopes.Contains(Scopes.TenantPrefix + tenantId);

    public static Caller From(ClaimsPrincipal user)
    {
        var scopes = user.FindAll(Scopes.Claim).SelectMany(static c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        return new Caller(user.FindFirst("sub")?.Value ?? "anonymous", scopes);
    }
}
