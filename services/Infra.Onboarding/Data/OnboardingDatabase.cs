using Npgsql;

namespace Infra.Onboarding.Data;

/// <summary>
/// The service's own tables in the service database, schema <c>onboarding</c>: tenants, operations, idempotency keys,
/// backups and the append-only audit log. The audit table refuses UPDATE, DELETE and TRUNCATE through a trigger, so
/// not even the service can rewrite history.
/// </summary>
internal sealed class OnboardingDatabase(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The channel on which every change to a tenant or to one of its operations announces the tenant's id, at commit,
    /// from whichever instance (or administrator) made it: what <see cref="TenantChangeListener"/> hears.
    /// </summary>
    public const string TenantChangedChannel = "onboarding_tenant_changed";

    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>
    /// The service database's connections. Requests run a handful of statements over and over (a tenant's read is one),
    /// so unless the connection string says otherwise they are prepared on each connection once and PostgreSQL stops
    /// parsing and planning them per request. Behind PgBouncer in transaction mode that needs its
    /// <c>max_prepared_statements</c> (1.21 and later), or <c>Max Auto Prepare=0</c> in the connection string.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "onboarding" };
        if (!new NpgsqlConnectionStringBuilder(connectionString).ContainsKey("Max Auto Prepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        }

        return builder.Build();
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(7243109)", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand(Schema, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = DataSource.CreateCommand("SELECT 1");
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 1;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private const string Schema = $$"""
        CREATE SCHEMA IF NOT EXISTS onboarding;
        CREATE TABLE IF NOT EXISTS onboarding.tenants (
            id TEXT PRIMARY KEY,
            plan TEXT NOT NULL,
            display_name TEXT NOT NULL,
            branding JSONB,
            status TEXT NOT NULL,
            outputs JSONB NOT NULL DEFAULT '{}',
            last_operation UUID,
            created TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated TIMESTAMPTZ NOT NULL DEFAULT now());
        CREATE INDEX IF NOT EXISTS tenants_by_plan_status ON onboarding.tenants (plan, status, id);
        CREATE TABLE IF NOT EXISTS onboarding.operations (
            id UUID PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            parameters JSONB NOT NULL DEFAULT '{}',
            attempts INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            error_reason TEXT,
            resources JSONB NOT NULL DEFAULT '[]',
            result JSONB,
            job_id TEXT,
            requested_by TEXT NOT NULL,
            trace_parent TEXT,
            created TIMESTAMPTZ NOT NULL DEFAULT now(),
            started TIMESTAMPTZ,
            finished TIMESTAMPTZ);
        CREATE INDEX IF NOT EXISTS operations_by_tenant ON onboarding.operations (tenant_id, created);
        CREATE INDEX IF NOT EXISTS operations_unqueued ON onboarding.operations (created) WHERE job_id IS NULL AND status = 'queued';
        CREATE TABLE IF NOT EXISTS onboarding.idempotency (
            client TEXT NOT NULL,
            key TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            status_code INTEGER NOT NULL,
            location TEXT,
            body TEXT NOT NULL,
            created TIMESTAMPTZ NOT NULL DEFAULT now(),
            PRIMARY KEY (client, key));
        CREATE TABLE IF NOT EXISTS onboarding.backups (
            id UUID PRIMARY KEY,
            tenant_id TEXT NOT NULL,
            operation_id UUID NOT NULL,
            dump_file TEXT NOT NULL,
            size_bytes BIGINT NOT NULL,
            sha256 TEXT NOT NULL,
            created TIMESTAMPTZ NOT NULL);
        CREATE INDEX IF NOT EXISTS backups_by_tenant ON onboarding.backups (tenant_id, created);
        CREATE TABLE IF NOT EXISTS onboarding.audit (
            id BIGSERIAL PRIMARY KEY,
            at TIMESTAMPTZ NOT NULL DEFAULT now(),
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            tenant_id TEXT,
            outcome TEXT NOT NULL,
            detail TEXT);
        CREATE OR REPLACE FUNCTION onboarding.audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'onboarding.audit is append-only';
        END $$;
        DROP TRIGGER IF EXISTS audit_append_only ON onboarding.audit;
        CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON onboarding.audit
            FOR EACH ROW EXECUTE FUNCTION onboarding.audit_is_append_only();
        DROP TRIGGER IF EXISTS audit_no_truncate ON onboarding.audit;
        CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON onboarding.audit
            FOR EACH STATEMENT EXECUTE FUNCTION onboarding.audit_is_append_only();
        CREATE OR REPLACE FUNCTION onboarding.announce_tenant_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{{TenantChangedChannel}}', to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[0]);
            RETURN NULL;
        END $$;
        CREATE OR REPLACE TRIGGER tenants_announce_change AFTER INSERT OR UPDATE OR DELETE ON onboarding.tenants
            FOR EACH ROW EXECUTE FUNCTION onboarding.announce_tenant_change('id');
        CREATE OR REPLACE TRIGGER operations_announce_change AFTER INSERT OR UPDATE OR DELETE ON onboarding.operations
            FOR EACH ROW EXECUTE FUNCTION onboarding.announce_tenant_change('tenant_id');
        """;
}
