namespace Infra.State.Sql;

/// <summary>
/// How a database tells the time in SQL. Lock leases are set and judged with these expressions, so a lease ends by
/// the database's clock, never by comparing the clocks of the machines that take and test it.
/// </summary>
/// <param name="Now">The current time, in the type timestamps are stored in.</param>
/// <param name="LeaseEnd">The current time plus the parameter <c>@lease</c> (seconds, a floating-point number).</param>
/// <param name="LeaseEnded">True when the column <c>expires</c> lies in the past.</param>
public sealed record SqlClock(string Now, string LeaseEnd, string LeaseEnded);
