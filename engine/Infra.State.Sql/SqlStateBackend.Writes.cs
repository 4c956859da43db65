using System.Data.Common;
using System.Globalization;

namespace Infra.State.Sql;

public abstract partial class SqlStateBackend
{
    /// <inheritdoc/>
    public async Task<long> WriteAsync(string stack, string lockId, IReadOnlyList<StoredMutation> mutations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mutations);
        var statements = new List<Statement>(mutations.Count + 3) { new(_sql.Fence, [("@stack", stack), ("@lock", lockId)]) };
        foreach (var mutation in mutations)
        {
            AddStatements(statements, stack, mutation);
        }

        statements.Add(new(_sql.BumpSerial, [("@stack", stack), ("@now", Timestamp(DateTimeOffset.UtcNow))]));

        return await RunWriteAsync(
            (session, transaction, ct) => session.Connection.CanCreateBatch
                ? RunBatchAsync(session.Connection, transaction!, stack, statements, ct)
                : RunEachAsync(session, transaction!, stack, statements, ct),
            inTransaction: true, cancellationToken).ConfigureAwait(false);
    }

    private void AddStatements(List<Statement> statements, string stack, StoredMutation mutation)
    {
        switch (mutation)
        {
            case StoredMutation.UpsertResource u:
                statements.Add(new(_sql.UpsertResource, [("@stack", stack), ("@urn", u.Urn), ("@pd", Boxed(u.PendingDelete)), ("@json", u.Json)]));
                break;
            case StoredMutation.DeleteResource d:
                statements.Add(new(_sql.DeleteResource, [("@stack", stack), ("@urn", d.Urn), ("@pd", Boxed(d.PendingDelete))]));
                break;
            case StoredMutation.RenameResource r:
                statements.Add(new(_sql.RenameResource, [("@stack", stack), ("@old", r.OldUrn), ("@new", r.NewUrn)]));
                break;
            case StoredMutation.AddPending a:
                statements.Add(new(_sql.AddPending, [("@stack", stack), ("@id", a.Id), ("@json", a.Json)]));
                break;
            case StoredMutation.RemovePending p:
                statements.Add(new(_sql.RemovePending, [("@stack", stack), ("@id", p.Id)]));
                break;
            case StoredMutation.SetOutputs o:
                statements.Add(new(_sql.SetOutputs, [("@stack", stack), ("@json", o.Json)]));
                break;
            case StoredMutation.Clear:
                statements.Add(new(_sql.ClearResources, [("@stack", stack)]));
                statements.Add(new(_sql.ClearPending, [("@stack", stack)]));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation), mutation.GetType().Name, "Unknown state mutation.");
        }
    }

    /// <summary>
    /// The whole write in one round trip. The fence runs first and holds the lock row until commit; if it finds the
    /// lock gone, the transaction is rolled back, so the mutations that ran after it in the batch never land.
    /// </summary>
    private async Task<long> RunBatchAsync(DbConnection connection, DbTransaction transaction, string stack, List<Statement> statements, CancellationToken cancellationToken)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var statement in statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = statement.Sql;
            foreach (var (name, value) in statement.Parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        CheckFence(stack, reader.GetValue(0));
        object? serial = null;
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
        {
            // Only the serial bump returns a row; the mutations return none.
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                serial = reader.GetValue(0);
            }
        }

        return Serial(stack, serial);
    }

    /// <summary>
    /// The write statement by statement, for drivers without batches. The fence runs before any mutation. A journal
    /// batch repeats the same few statements, and the session hands out one command per statement, so each is
    /// prepared once and rebound.
    /// </summary>
    private async Task<long> RunEachAsync(SqlSession session, DbTransaction transaction, string stack, List<Statement> statements, CancellationToken cancellationToken)
    {
        object? result = null;
        for (var i = 0; i < statements.Count; i++)
        {
            var command = session.Command(transaction, statements[i].Sql, statements[i].Parameters);
            if (i == 0)
            {
                CheckFence(stack, await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false));
            }
            else if (i == statements.Count - 1)
            {
                result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return Serial(stack, result);
    }

    private static readonly object s_true = true;
    private static readonly object s_false = false;

    private static object Boxed(bool value) => value ? s_true : s_false;

    private static void CheckFence(string stack, object? held)
    {
        if (held is null or DBNull || Convert.ToInt64(held, CultureInfo.InvariantCulture) == 0)
        {
            throw new LockLostException(stack);
        }
    }

    private long Serial(string stack, object? serial) => serial is null or DBNull
        ? throw new StackNotFoundException(stack, DisplayUrl)
        : Convert.ToInt64(serial, CultureInfo.InvariantCulture);

    private readonly record struct Statement(string Sql, (string Name, object? Value)[] Parameters);
}
