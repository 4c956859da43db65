namespace Infra.Observability.Rules;

/// <summary>How urgent an alert is; its <c>severity</c> label.</summary>
public enum AlertSeverity
{
    /// <summary><c>warning</c>: someone should look within working hours (a ticket).</summary>
    Warning,

    /// <summary><c>critical</c>: wake someone up (a page).</summary>
    Critical,
}
