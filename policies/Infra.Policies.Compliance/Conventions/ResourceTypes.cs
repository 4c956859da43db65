namespace Infra.Policies.Compliance;

/// <summary>
/// The type tokens the pack's rules target. The postgres shapes are those of the postgres provider; the backup
/// schedule is a contract with the tenant database component (see <c>docs/policies.md</c>).
/// </summary>
public static class ResourceTypes
{
    /// <summary><c>{ name, owner, encoding, template, connectionLimit }</c>.</summary>
    public const string PostgresDatabase = "postgres:index:Database";

    /// <summary><c>{ name, login, password (secret), connectionLimit, inherit }</c>.</summary>
    public const string PostgresRole = "postgres:index:Role";

    /// <summary><c>{ role, database, schema?, objectType: database|schema|table, privileges: [..], objects?: [..] }</c>; with
    /// <c>privileges: []</c> it revokes everything from <c>role</c>.</summary>
    public const string PostgresGrant = "postgres:index:Grant";

    /// <summary>The same shape as a grant; revokes <c>privileges</c> from <c>role</c>.</summary>
    public const string PostgresRevoke = "postgres:index:Revoke";

    /// <summary><c>{ role, database, schema?, owner?, objectType, privileges }</c>.</summary>
    public const string PostgresDefaultPrivileges = "postgres:index:DefaultPrivileges";

    /// <summary><c>{ tenant, database, schedule (cron), retentionDays }</c>: the data the platform's backup job reads.</summary>
    public const string BackupSchedule = "infra:index:BackupSchedule";
}
