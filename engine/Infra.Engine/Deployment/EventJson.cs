using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Infra.Values;

namespace Infra.Deployment;

/// <summary>
/// Engine events as JSON lines (<c>up --json</c>): one object per event with a <c>type</c> and a <c>time</c>.
/// Secrets are always masked. The format is versioned by the <c>formatVersion</c> of the <c>prelude</c> event;
/// see docs/json-format.md.
/// </summary>
public static class EventJson
{
    /// <summary>The event stream's format version.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serializes one event to a single line of JSON.</summary>
    public static string Serialize(EngineEvent engineEvent)
    {
        ArgumentNullException.ThrowIfNull(engineEvent);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStartObject();
            writer.WriteString("time", engineEvent.Time.ToString("O", CultureInfo.InvariantCulture));
            switch (engineEvent)
            {
                case PreludeEvent prelude:
                    writer.WriteString("type", "prelude");
                    writer.WriteNumber("formatVersion", FormatVersion);
                    writer.WriteString("stack", prelude.Stack);
                    writer.WriteString("project", prelude.Project);
                    writer.WriteString("operation", prelude.Operation);
                    writer.WriteBoolean("preview", prelude.Preview);
                    writer.WriteNumber("parallel", prelude.Parallel);
                    break;
                case StepStartedEvent started:
                    writer.WriteString("type", "step-started");
                    WriteStep(writer, started.Step);
                    break;
                case StepCompletedEvent completed:
                    writer.WriteString("type", "step-completed");
                    writer.WriteNumber("durationMs", Math.Round(completed.Duration.TotalMilliseconds, 1));
                    WriteStep(writer, completed.Step);
                    break;
                case StepFailedEvent failed:
                    writer.WriteString("type", "step-failed");
                    writer.WriteNumber("durationMs", Math.Round(failed.Duration.TotalMilliseconds, 1));
                    writer.WriteString("message", failed.Message);
                    WriteStep(writer, failed.Step);
                    break;
                case DiagnosticEvent diagnostic:
                    writer.WriteString("type", "diagnostic");
                    writer.WriteString("severity", diagnostic.Severity.ToString().ToLowerInvariant());
                    writer.WriteString("message", diagnostic.Message);
                    if (diagnostic.Urn is not null)
                    {
                        writer.WriteString("urn", diagnostic.Urn);
                    }

                    break;
                case PolicyViolationEvent violation:
                    writer.WriteString("type", "policy-violation");
                    writer.WritePropertyName("violation");
                    PlanJson.WriteViolation(writer, violation.Violation);
                    break;
                case SummaryEvent summary:
                    writer.WriteString("type", "summary");
                    writer.WriteString("result", summary.Result);
                    writer.WriteNumber("durationMs", Math.Round(summary.Duration.TotalMilliseconds, 1));
                    writer.WritePropertyName("counts");
                    PlanJson.WriteSummary(writer, summary.Summary);
                    break;
                default:
                    writer.WriteString("type", engineEvent.GetType().Name);
                    break;
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteStep(Utf8JsonWriter writer, PlannedStep step)
    {
        writer.WritePropertyName("step");
        // Masked: no secret is encrypted, so no stack binds one.
        PlanJson.WriteStep(writer, step, PropertyJsonMode.Masked, cipher: null, stack: string.Empty);
    }
}
