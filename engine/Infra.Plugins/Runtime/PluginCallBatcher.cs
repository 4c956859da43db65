using System.Text.Json;
using Infra.Plugins.Protocol;

namespace Infra.Plugins.Runtime;

/// <summary>
/// Coalesces resource calls to one plugin process into <c>batch</c> requests, without timers: at most
/// <see cref="MaxBatchesInFlight"/> requests are outstanding, and the calls made while they are answered wait and go
/// together in the next one (at most <see cref="MaxBatchSize"/> a message). A lone call goes alone, as its own method,
/// so a quiet plugin sees exactly the calls of protocol version 1; a burst (a preview checks every resource at once)
/// costs a few messages instead of one per resource. Each call keeps its own outcome: an item's error fails that call
/// only, and a batch that gets no answer (crash, timeout, malformed output) fails the calls it carried, as the same
/// calls in flight on their own would.
/// </summary>
internal sealed class PluginCallBatcher(PluginProcess process)
{
    /// <summary>Requests outstanding at once; the calls made meanwhile form the next batch.</summary>
    public const int MaxBatchesInFlight = 2;

    /// <summary>The most calls in one message, so one answer never waits on an unbounded number of calls.</summary>
    public const int MaxBatchSize = 64;

    private readonly Lock _gate = new();
    private readonly Queue<PendingCall> _waiting = new();
    private int _inFlight;

    /// <summary>Sends <paramref name="method"/> with <paramref name="argument"/>, alone or in a batch.</summary>
    public Task<TResult> InvokeAsync<TResult>(string method, object argument, CancellationToken cancellationToken)
    {
        var call = new PendingCall<TResult>(process, method, argument, cancellationToken);
        List<PendingCall>? first = null;
        lock (_gate)
        {
            _waiting.Enqueue(call);
            if (_inFlight < MaxBatchesInFlight)
            {
                _inFlight++;
                first = TakeWaiting();
            }
        }

        if (first is not null)
        {
            _ = SendUntilDrainedAsync(first);
        }

        return call.Task;
    }

    private List<PendingCall> TakeWaiting()
    {
        var calls = new List<PendingCall>(Math.Min(_waiting.Count, MaxBatchSize));
        while (calls.Count < MaxBatchSize && _waiting.TryDequeue(out var call))
        {
            calls.Add(call);
        }

        return calls;
    }

    private async Task SendUntilDrainedAsync(List<PendingCall> calls)
    {
        while (true)
        {
            await SendAsync(calls).ConfigureAwait(false);
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _inFlight--;
                    return;
                }

                calls = TakeWaiting();
            }
        }
    }

    private async Task SendAsync(List<PendingCall> calls)
    {
        calls.RemoveAll(static c => c.IsCompleted);
        if (calls.Count == 1)
        {
            await calls[0].SendAloneAsync().ConfigureAwait(false);
            return;
        }

        if (calls.Count == 0)
        {
            return;
        }

        var request = new BatchRequest([.. calls.Select(static c => new BatchCall(c.Method, c.Argument))]);
        BatchResponse response;
        try
        {
            // Each call has its own token; the batch runs to its answer (bounded by the call timeout), and an answer for a
            // call cancelled meanwhile is dropped.
            response = await process.InvokeAsync<BatchResponse>(PluginProtocol.Batch, request, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            foreach (var call in calls)
            {
                call.Fail(ForItem(ex, call.Method));
            }

            return;
        }

        if (response.Results.IsDefault || response.Results.Length != calls.Count)
        {
            var fault = new PluginFaultException(process.Name, PluginProtocol.Batch, PluginFault.MalformedAnswer,
                $"answered {(response.Results.IsDefault ? 0 : response.Results.Length)} results for {calls.Count} calls.");
            foreach (var call in calls)
            {
                call.Fail(ForItem(fault, call.Method));
            }

            return;
        }

        for (var i = 0; i < calls.Count; i++)
        {
            try
            {
                calls[i].Answer(response.Results[i]);
            }
            catch (Exception ex)
            {
                // Whatever an entry holds, it fails its own call only, and the batcher keeps sending.
                calls[i].Fail(new PluginFaultException(process.Name, calls[i].Method, PluginFault.MalformedAnswer,
                    $"answered with a malformed {calls[i].Method} result: {ex.Message.ReplaceLineEndings(" ")}", ex));
            }
        }
    }

    /// <summary>The batch's failure as the item's own: the message names the item's method, not <c>batch</c>.</summary>
    private static Exception ForItem(Exception ex, string method) => ex switch
    {
        PluginFaultException fault => new PluginFaultException(fault.Plugin, method, fault.Fault, fault.Detail, fault),
        PluginErrorException error => new PluginErrorException(error.Plugin, method, error.Code, error.PluginMessage, error.ErrorData, error),
        _ => ex,
    };

    private abstract class PendingCall(PluginProcess process, string method, object argument)
    {
        public string Method => method;

        public object Argument => argument;

        protected PluginProcess Process => process;

        public abstract bool IsCompleted { get; }

        public abstract Task SendAloneAsync();

        public abstract void Fail(Exception exception);

        /// <summary>Completes the call from its entry in the batch's results: <c>{"result": ...}</c> or <c>{"error": {...}}</c>.</summary>
        public void Answer(object entry)
        {
            if (entry is not JsonElement { ValueKind: JsonValueKind.Object } element)
            {
                Fail(Malformed("its batch entry is not an object"));
                return;
            }

            if (element.TryGetProperty("error", out var error))
            {
                PluginErrorObject body;
                try
                {
                    body = error.Deserialize<PluginErrorObject>(PluginJson.Options)!;
                }
                catch (JsonException ex)
                {
                    Fail(Malformed($"its batch entry's error is malformed: {ex.Message}"));
                    return;
                }

                var data = body.Data is JsonElement { ValueKind: not JsonValueKind.Null } d ? d.Clone() : (JsonElement?)null;
                Fail(new PluginErrorException(process.Name, method, body.Code, body.Message, data));
                return;
            }

            if (!element.TryGetProperty("result", out var result))
            {
                Fail(Malformed("its batch entry has neither 'result' nor 'error'"));
                return;
            }

            Complete(result);
        }

        protected abstract void Complete(JsonElement result);

        protected PluginFaultException Malformed(string detail) =>
            new(process.Name, method, PluginFault.MalformedAnswer, $"answered with a malformed {method} result: {detail.ReplaceLineEndings(" ")}");
    }

    private sealed class PendingCall<TResult> : PendingCall
    {
        private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationToken _cancellationToken;
        private readonly CancellationTokenRegistration _cancelled;

        public PendingCall(PluginProcess process, string method, object argument, CancellationToken cancellationToken)
            : base(process, method, argument)
        {
            _cancellationToken = cancellationToken;
            _cancelled = cancellationToken.Register(static state => ((PendingCall<TResult>)state!).Cancel(), this);
        }

        public Task<TResult> Task => _completion.Task;

        public override bool IsCompleted => _completion.Task.IsCompleted;

        public override async Task SendAloneAsync()
        {
            try
            {
                Finish(_completion.TrySetResult(await Process.InvokeAsync<TResult>(Method, Argument, _cancellationToken).ConfigureAwait(false)));
            }
            catch (Exception ex)
            {
                Fail(ex);
            }
        }

        public override void Fail(Exception exception) => Finish(exception is OperationCanceledException && _cancellationToken.IsCancellationRequested
            ? _completion.TrySetCanceled(_cancellationToken)
            : _completion.TrySetException(exception));

        protected override void Complete(JsonElement result)
        {
            TResult? value;
            try
            {
                value = result.Deserialize<TResult>(PluginJson.Options);
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
            {
                Fail(Malformed(ex.Message));
                return;
            }

            if (value is null && Nullable.GetUnderlyingType(typeof(TResult)) is null)
            {
                Fail(Malformed("null"));
                return;
            }

            Finish(_completion.TrySetResult(value!));
        }

        private void Cancel() => Finish(_completion.TrySetCanceled(_cancellationToken));

        private void Finish(bool _) => _cancelled.Dispose();
    }
}
