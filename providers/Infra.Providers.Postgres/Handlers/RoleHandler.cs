using System.Collections.Immutable;
using Infra.Providers.Postgres.Catalog;
using Infra.Providers.Postgres.Sql;
using Infra.Values;
using Npgsql;

namespace Infra.Providers.Postgres.Handlers;

/// <summary>
/// <c>postgres:index:Role</c> <c>{ name, login, password (secret), connectionLimit, inherit, memberOf }</c>, ID = name.
/// <c>memberOf</c> is the exact set of roles it is a member of (e.g. <c>[pg_monitor]</c> for a monitoring login):
/// missing memberships are granted, others revoked.
/// The password is sent as a SCRAM verifier. PostgreSQL cannot give a password back, so outputs keep the declared
/// one; when the admin is a superuser, Read compares the stored verifier with it, and a password changed by hand
/// shows as drift (the password is dropped from the read-back inputs, and the next up sets it again).
/// </summary>
/// <remarks>
/// Create adopts an existing role only if it is no more than declared: no <c>SUPERUSER</c>, <c>CREATEROLE</c>,
/// <c>CREATEDB</c>, <c>REPLICATION</c> or <c>BYPASSRLS</c>, no membership in a role it does not declare in
/// <c>memberOf</c> and no member but the admin. Someone may have planted the role expecting the platform to hand it to a tenant. An adopted role always
/// gets the declared password, since whoever made it may know the old one (and only a superuser admin could tell).
/// </remarks>
internal sealed class RoleHandler(ProviderServices services) : ObjectHandler(services)
{
    private static readonly IReadOnlySet<string> s_replace = new HashSet<string>(StringComparer.Ordinal) { "name" };

    public override string Type => PostgresTypes.Role;

    public override IReadOnlySet<string> ReplaceOnChange => s_replace;

    public override PropertyMap Check(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        RequireName(inputs, "name", "role", failures);
        if (string.Equals(inputs.Text("name"), Identifiers.Public, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add(new CheckFailure("name", "'PUBLIC' is reserved: it stands for every role."));
        }

        inputs = CheckBool(inputs, "login", false, failures);
        inputs = CheckBool(inputs, "inherit", true, failures);
        inputs = CheckInt(inputs, "connectionLimit", -1, -1, failures);
        inputs = CheckMemberOf(inputs, failures);
        if (!inputs.IsOptionalText("password"))
        {
            failures.Add(new CheckFailure("password", "must be a string."));
        }
        else if (inputs.GetValueOrDefault("password") is { IsSecret: false } plain && !plain.Unwrapped.IsNull)
        {
            inputs = inputs.SetItem("password", PropertyValue.Secret(plain));
        }

        return inputs;
    }

    public override string IdOf(string urn, PropertyMap inputs) => Identifiers.Require(urn, "role", inputs.Text("name"));

    public override async Task CreateAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        var name = IdOf(urn, inputs);
        var grants = string.Concat(inputs.Strings("memberOf").Select(r => $"; GRANT {Identifiers.Quote(r)} TO {Identifiers.Quote(name)}"));
        await CreateOrAdoptAsync(urn, "role", name, CatalogQueries.RolesAsync, existing => Differences(existing, inputs),
            $"CREATE ROLE {Identifiers.Quote(name)} WITH {Options(inputs, passwordChanged: true)}{grants}", cancellationToken,
            adoptSql: $"ALTER ROLE {Identifiers.Quote(name)} WITH {PasswordOption(inputs)}{grants}").ConfigureAwait(false);
    }

    public override async Task<ReadResponse> ReadAsync(string urn, string? id, PropertyMap? inputs, CancellationToken cancellationToken)
    {
        var name = id ?? inputs?.Text("name");
        if (name is null)
        {
            return ReadResponse.Indeterminate;
        }

        Identifiers.Require(urn, "role", name);
        var roles = await Catalog.GetAsync(CatalogCache.Roles, AdminDatabase, CatalogQueries.RolesAsync, cancellationToken).ConfigureAwait(false);
        if (roles is null || !roles.TryGetValue(name, out var role))
        {
            return ReadResponse.NotFound;
        }

        var live = PropertyMap.Empty
            .SetItem("name", PropertyValue.Create(name))
            .SetItem("login", PropertyValue.Create(role.Login))
            .SetItem("inherit", PropertyValue.Create(role.Inherit))
            .SetItem("connectionLimit", PropertyValue.Create(role.ConnectionLimit));
        if (!role.MemberOf.IsEmpty || inputs?.ContainsKey("memberOf") == true)
        {
            live = live.SetItem("memberOf", Inputs.List(role.MemberOf.Order(StringComparer.Ordinal)));
        }
        if (inputs?.Text("password") is { } declared && PasswordMatches(role, declared) != false)
        {
            live = live.SetItem("password", PropertyValue.Secret(PropertyValue.Create(declared)));
        }

        return ReadResponse.Found(name, live, live);
    }

    public override async Task UpdateAsync(string urn, PropertyMap olds, PropertyMap news, CancellationToken cancellationToken)
    {
        var name = IdOf(urn, news);
        var passwordChanged = !Equals(olds.GetValueOrDefault("password"), news.GetValueOrDefault("password"));
        var declared = news.Strings("memberOf");
        var held = olds.Strings("memberOf");
        var memberships = string.Concat(
            declared.Except(held).Select(r => $"; GRANT {Identifiers.Quote(r)} TO {Identifiers.Quote(name)}").Concat(
            held.Except(declared).Select(r => $"; REVOKE {Identifiers.Quote(r)} FROM {Identifiers.Quote(name)}")));
        await ExecuteOnAdminAsync($"ALTER ROLE {Identifiers.Quote(name)} WITH {Options(news, passwordChanged)}{memberships}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>memberOf</c>: a list of role names (absent: none), kept sorted and without repeats.</summary>
    private static PropertyMap CheckMemberOf(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        if (inputs.IsUnknown("memberOf"))
        {
            return inputs;
        }

        var value = inputs.GetValueOrDefault("memberOf")?.Unwrapped;
        if (value is null || value.IsNull)
        {
            // Absent means none; it is left absent so roles declared before memberOf existed read back unchanged.
            return inputs.Remove("memberOf");
        }

        if (value.Kind != PropertyValueKind.Array || value.AsArray.Any(static v => !v.TryGetString(out _)))
        {
            failures.Add(new CheckFailure("memberOf", "must be a list of role names, e.g. [pg_monitor]."));
            return inputs;
        }

        var roles = inputs.Strings("memberOf");
        foreach (var role in roles)
        {
            if (string.Equals(role, Identifiers.Public, StringComparison.OrdinalIgnoreCase) || Identifiers.Problem("role", role) is not null)
            {
                failures.Add(new CheckFailure("memberOf", $"'{role}' is not a role name."));
            }
        }

        return inputs.SetItem("memberOf", Inputs.List(roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));
    }

    public override async Task DeleteAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        var name = IdOf(urn, inputs);
        try
        {
            await ExecuteOnAdminAsync($"DROP ROLE IF EXISTS {Identifiers.Quote(name)}", cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DependentObjectsStillExist)
        {
            // Say exactly what holds the role, by database and kind, so the reader knows what to remove.
            var dependents = await Connector.RunAsync(AdminDatabase, (connection, token) => RoleDependents.DescribeAsync(connection, name, token), cancellationToken)
                .ConfigureAwait(false);
            throw new ResourceException(urn, $"role '{name}' cannot be dropped: objects depend on it ({dependents}); remove or reassign them, then run destroy again.");
        }
    }

    /// <summary>
    /// Blocked by anything of the role's in a database the destroy does not reach: <c>DROP ROLE</c> would refuse
    /// (<c>2BP01</c>) after the destroy had already dropped the rest.
    /// </summary>
    public override async Task<string?> CheckDeleteAsync(string urn, string id, DeleteScope scope, CancellationToken cancellationToken)
    {
        var dependents = await Connector.RunAsync(AdminDatabase, (connection, token) => RoleDependents.ReadAsync(connection, id, token), cancellationToken)
            .ConfigureAwait(false);
        var outside = dependents.Where(d => !scope.Reached.Contains(d.Database)).ToList();
        return outside.Count == 0
            ? null
            : $"role '{id}' has objects in databases this destroy does not drop ({RoleDependents.Describe(outside)}); " +
              "drop those databases, or reassign or drop the role's objects in them";
    }

    private static string Options(PropertyMap inputs, bool passwordChanged)
    {
        var options = new List<string>
        {
            inputs.Bool("login", false) ? "LOGIN" : "NOLOGIN",
            inputs.Bool("inherit", true) ? "INHERIT" : "NOINHERIT",
            $"CONNECTION LIMIT {inputs.Int("connectionLimit", -1)}",
        };
        if (passwordChanged)
        {
            options.Add(PasswordOption(inputs));
        }

        return string.Join(' ', options);
    }

    private static string PasswordOption(PropertyMap inputs) =>
        inputs.Text("password") is { } password ? $"PASSWORD {Identifiers.Literal(ScramVerifier.Create(password))}" : "PASSWORD NULL";

    private IEnumerable<string> Differences(RoleRow role, PropertyMap inputs)
    {
        if (!role.Privileged.IsEmpty)
        {
            yield return $"it has {string.Join(", ", role.Privileged)}, which no declared role has";
        }

        if (role.MemberOf.Except(inputs.Strings("memberOf")).ToList() is { Count: > 0 } undeclared)
        {
            yield return $"it is a member of {string.Join(", ", undeclared.Select(static r => $"'{r}'"))}";
        }

        if (role.Members.Where(m => m != Services.AdminUser).ToList() is { Count: > 0 } members)
        {
            yield return $"{string.Join(", ", members.Select(static r => $"'{r}'"))} can act as it (member of it)";
        }

        if (role.Login != inputs.Bool("login", false))
        {
            yield return $"login is {role.Login.ToString().ToLowerInvariant()}";
        }

        if (role.Inherit != inputs.Bool("inherit", true))
        {
            yield return $"inherit is {role.Inherit.ToString().ToLowerInvariant()}";
        }

        if (role.ConnectionLimit != inputs.Int("connectionLimit", -1))
        {
            yield return $"connection limit is {role.ConnectionLimit}, declared {inputs.Int("connectionLimit", -1)}";
        }
    }

    /// <summary>Whether the stored password is <paramref name="declared"/>; <see langword="null"/> when it cannot be told.</summary>
    private static bool? PasswordMatches(RoleRow role, string declared) =>
        role.PasswordReadable ? ScramVerifier.Matches(role.StoredPassword, declared, role.Name) : null;
}
