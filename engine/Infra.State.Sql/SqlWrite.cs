using System.Data.Common;

namespace Infra.State.Sql;

/// <summary>
/// One call's writes, run by <see cref="SqlStateBackend.RunWriteAsync{T}"/> on the session and in the transaction it
/// is given: every command the call makes must join <paramref name="transaction"/>, which is <see langword="null"/>
/// only when the call asked for none and the backend commits each statement by itself.
/// </summary>
/// <typeparam name="T">What the call returns once its writes are durable.</typeparam>
public delegate Task<T> SqlWrite<T>(SqlSession session, DbTransaction? transaction, CancellationToken cancellationToken);
