namespace Infra.Backups;

/// <summary>A copy of a tenant's database restored under a new name, and the backup it came from.</summary>
/// <param name="Database">The new database.</param>
/// <param name="OwnerRole">The role that owns it: the tenant's owner role, which cannot log in (the tenant's login role owns only its schema, as in its own database).</param>
/// <param name="Backup">The dump it was restored from.</param>
/// <param name="BackupCreated">When that backup was taken.</param>
public sealed record RestoredCopy(string Database, string OwnerRole, string Backup, DateTimeOffset BackupCreated);
