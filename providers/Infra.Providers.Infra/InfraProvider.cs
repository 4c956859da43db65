using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Infra.Providers.Infra;

/// <summary>
/// The built-in <c>infra</c> package: resources that are data, not infrastructure. A
/// <c>infra:index:BackupSchedule</c> <c>{ tenant, database, schedule, retentionDays }</c> lives only in the stack's
/// state, where the platform's backup job reads it; creating, updating and deleting it just records the inputs.
/// </summary>
public sealed partial class InfraProvider : IResourceProvider
{
    /// <summary>The package name.</summary>
    public const string PackageName = "infra";

    /// <summary>The backup schedule's type token.</summary>
    public const string BackupScheduleType = "infra:index:BackupSchedule";

    /// <inheritdoc/>
    public string Package => PackageName;

    /// <inheritdoc/>
    public Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireType(request.Urn, request.Type);
        var inputs = request.NewInputs;
        var failures = ImmutableArray.CreateBuilder<CheckFailure>();
        foreach (var key in new[] { "tenant", "database" })
        {
            if (inputs.GetValueOrDefault(key) is not { } value || (value.IsFullyKnown && (!value.TryGetString(out var text) || text.Length == 0)))
            {
                failures.Add(new CheckFailure(key, "is required and must be a non-empty string."));
            }
        }

        if (inputs.GetValueOrDefault("schedule") is not { } schedule || (schedule.IsFullyKnown && (!schedule.TryGetString(out var cron) || !IsCron(cron))))
        {
            failures.Add(new CheckFailure("schedule", "must be a five-field cron expression, e.g. '0 3 * * *' (daily at 03:00 UTC)."));
        }

        if (inputs.GetValueOrDefault("retentionDays") is not { } days || (days.IsFullyKnown && (!days.TryGetNumber(out var n) || n != Math.Floor(n) || n is < 1 or > 3650)))
        {
            failures.Add(new CheckFailure("retentionDays", "must be a whole number of days from 1 to 3650."));
        }

        return Task.FromResult(new CheckResponse(inputs, failures.ToImmutable()));
    }

    /// <inheritdoc/>
    public Task<DiffResponse> DiffAsync(DiffRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(DiffResponse.FromInputs(request.OldInputs, request.NewInputs, new HashSet<string>(StringComparer.Ordinal) { "tenant", "database" }));
    }

    /// <inheritdoc/>
    public Task<CreateResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireType(request.Urn, request.Type);
        var id = request.Inputs.IsFullyKnown ? $"{request.Inputs.GetString("tenant")}/{request.Inputs.GetString("database")}" : string.Empty;
        return Task.FromResult(new CreateResponse(id, request.Inputs));
    }

    /// <inheritdoc/>
    public Task<ReadResponse> ReadAsync(ReadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The schedule exists only in state: with recorded outputs it is there; without, nothing outside state was made.
        return Task.FromResult(request is { Id: not null, Outputs: { } outputs }
            ? ReadResponse.Found(request.Id, request.Inputs ?? outputs, outputs)
            : ReadResponse.NotFound);
    }

    /// <inheritdoc/>
    public Task<UpdateResponse> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(new UpdateResponse(request.NewInputs));
    }

    /// <inheritdoc/>
    public Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>True for a five-field cron expression (minute hour day-of-month month day-of-week) of numbers, ranges, lists, steps and '*'.</summary>
    public static bool IsCron(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 5 && fields.All(static f => CronField().IsMatch(f));
    }

    private static void RequireType(string urn, string type)
    {
        if (type != BackupScheduleType)
        {
            throw new ResourceException(urn, $"the infra provider has no type '{type}' (known: {BackupScheduleType}).");
        }
    }

    [GeneratedRegex(@"^(\*|\d{1,2}(-\d{1,2})?)(/\d{1,2})?(,(\*|\d{1,2}(-\d{1,2})?)(/\d{1,2})?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex CronField();
}

/// <summary>Registers the <c>infra</c> provider.</summary>
public sealed class InfraProviderFactory : IProviderFactory
{
    /// <inheritdoc/>
    public string Package => InfraProvider.PackageName;

    /// <inheritdoc/>
    public IResourceProvider Create(ProviderContext context) => new InfraProvider();
}
