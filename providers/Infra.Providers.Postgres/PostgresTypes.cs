namespace Infra.Providers.Postgres;

/// <summary>The type tokens of the postgres provider (documented in docs/postgres-provider.md; policy packs match on them).</summary>
public static class PostgresTypes
{
    /// <summary><c>{ name, owner, encoding, template, connectionLimit }</c>.</summary>
    public const string Database = "postgres:index:Database";

    /// <summary><c>{ name, login, password (secret), connectionLimit, inherit, memberOf }</c>.</summary>
    public const string Role = "postgres:index:Role";

    /// <summary><c>{ role, database, objectType: database|schema|table, schema?, objects?, privileges }</c>: the exact set the role holds.</summary>
    public const string Grant = "postgres:index:Grant";

    /// <summary>The same shape as a grant: the role holds none of <c>privileges</c> (e.g. <c>CONNECT</c> from <c>PUBLIC</c>).</summary>
    public const string Revoke = "postgres:index:Revoke";

    /// <summary><c>{ name, database, owner, dropCascade }</c>.</summary>
    public const string Schema = "postgres:index:Schema";

    /// <summary><c>{ name, database, schema?, version? }</c>.</summary>
    public const string Extension = "postgres:index:Extension";

    /// <summary><c>{ role, database, owner, schema?, objectType, privileges }</c>.</summary>
    public const string DefaultPrivileges = "postgres:index:DefaultPrivileges";

    /// <summary><c>{ stanza, repository, retainFull }</c>: WAL archiving into a local pgBackRest repository, for point-in-time recovery.</summary>
    public const string WalArchive = "postgres:index:WalArchive";
}
