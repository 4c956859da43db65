namespace Infra.State.Sql;

/// <summary>
/// Every statement of <see cref="SqlStateBackend"/>, built once per backend from its table prefix. Parameters are
/// named (<c>@stack</c>), which every ADO.NET driver we use binds; <c>TRUE</c> and <c>FALSE</c> are literals in both
/// PostgreSQL and SQLite.
/// </summary>
internal sealed class SqlStatements
{
    public SqlStatements(string prefix, bool rowLocks, SqlClock clock)
    {
        var (stacks, resources, pending, locks, updates) = ($"{prefix}stacks", $"{prefix}resources", $"{prefix}pending", $"{prefix}locks", $"{prefix}updates");
        var forShare = rowLocks ? " FOR SHARE" : string.Empty;
        var forUpdate = rowLocks ? " FOR UPDATE" : string.Empty;

        var summaries = $"""
            SELECT s.name, s.serial, (SELECT COUNT(*) FROM {resources} r WHERE r.stack = s.name AND r.pending_delete = FALSE), s.updated
            FROM {stacks} s
            """;
        AllStackSummaries = summaries + " ORDER BY s.name";
        StackSummary = summaries + " WHERE s.name = @stack";
        CreateStack = $"INSERT INTO {stacks} (name, serial, outputs, created, updated) VALUES (@stack, 0, '{{}}', @now, @now) ON CONFLICT (name) DO NOTHING";
        DeleteStack = $"DELETE FROM {stacks} WHERE name = @stack";
        StackRow = $"SELECT serial, outputs FROM {stacks} WHERE name = @stack";
        ResourceRows = $"SELECT json FROM {resources} WHERE stack = @stack ORDER BY urn, pending_delete";
        PendingRows = $"SELECT json FROM {pending} WHERE stack = @stack ORDER BY id";

        // Whether the lease has ended is read with the row, by the database's clock (see SqlClock).
        LockRow = $"SELECT lock_id, owner, host, pid, process_start, operation, acquired, expires, {clock.LeaseEnded} FROM {locks} WHERE stack = @stack";
        LockRowForUpdate = LockRow + forUpdate;
        InsertLock = $"""
            INSERT INTO {locks} (stack, lock_id, owner, host, pid, process_start, operation, acquired, expires)
            VALUES (@stack, @id, @owner, @host, @pid, @start, @op, {clock.Now}, {clock.LeaseEnd}) ON CONFLICT (stack) DO NOTHING
            """;
        TakeOverLock = $"""
            UPDATE {locks} SET lock_id = @id, owner = @owner, host = @host, pid = @pid, process_start = @start, operation = @op,
                acquired = {clock.Now}, expires = {clock.LeaseEnd}
            WHERE stack = @stack AND lock_id = @old
            """;
        RenewLock = $"UPDATE {locks} SET expires = {clock.LeaseEnd} WHERE stack = @stack AND lock_id = @id";
        ReleaseLock = $"DELETE FROM {locks} WHERE stack = @stack AND lock_id = @id";

        Fence = $"SELECT COUNT(*) FROM (SELECT 1 FROM {locks} WHERE stack = @stack AND lock_id = @lock{forShare}) held";
        UpsertResource = $"""
            INSERT INTO {resources} (stack, urn, pending_delete, json) VALUES (@stack, @urn, @pd, @json)
            ON CONFLICT (stack, urn, pending_delete) DO UPDATE SET json = excluded.json
            """;
        DeleteResource = $"DELETE FROM {resources} WHERE stack = @stack AND urn = @urn AND pending_delete = @pd";
        RenameResource = $"UPDATE {resources} SET urn = @new WHERE stack = @stack AND urn = @old AND pending_delete = FALSE";
        AddPending = $"INSERT INTO {pending} (stack, id, json) VALUES (@stack, @id, @json)";
        RemovePending = $"DELETE FROM {pending} WHERE stack = @stack AND id = @id";
        SetOutputs = $"UPDATE {stacks} SET outputs = @json WHERE name = @stack";
        ClearResources = $"DELETE FROM {resources} WHERE stack = @stack";
        ClearPending = $"DELETE FROM {pending} WHERE stack = @stack";
        BumpSerial = $"UPDATE {stacks} SET serial = serial + 1, updated = @now WHERE name = @stack RETURNING serial";

        StartUpdate = $"""
            INSERT INTO {updates} (stack, kind, started, result, counts, user_name, host, pid, config, program_version)
            VALUES (@stack, @kind, @started, @result, @counts, @user, @host, @pid, @config, @program) RETURNING id
            """;
        FinishUpdate = $"UPDATE {updates} SET result = @result, counts = @counts, ended = @ended WHERE stack = @stack AND id = @id";
        ListUpdates = $"SELECT id, kind, started, ended, result, counts, user_name, host, pid, config, program_version FROM {updates} WHERE stack = @stack ORDER BY id DESC";
    }

    public string AllStackSummaries { get; }

    public string StackSummary { get; }

    public string CreateStack { get; }

    public string DeleteStack { get; }

    public string StackRow { get; }

    public string ResourceRows { get; }

    public string PendingRows { get; }

    public string LockRow { get; }

    public string LockRowForUpdate { get; }

    public string InsertLock { get; }

    public string TakeOverLock { get; }

    public string RenewLock { get; }

    public string ReleaseLock { get; }

    public string Fence { get; }

    public string UpsertResource { get; }

    public string DeleteResource { get; }

    public string RenameResource { get; }

    public string AddPending { get; }

    public string RemovePending { get; }

    public string SetOutputs { get; }

    public string ClearResources { get; }

    public string ClearPending { get; }

    public string BumpSerial { get; }

    public string StartUpdate { get; }

    public string FinishUpdate { get; }

    public string ListUpdates { get; }
}
