using System.Collections.Concurrent;
using System.Diagnostics;

namespace Infra.Plugins.Runtime;

/// <summary>
/// The call timeouts of one plugin process, kept by one timer instead of one per call. Every call of a process has the
/// same timeout, so their deadlines fall in the order the calls were sent: a queue in send order holds them, and each
/// tick only looks at its head. A call past its deadline has its token cancelled, which ends the caller's wait and
/// tells the plugin (<c>$/cancelRequest</c>). The timer ticks every tenth of the timeout (between 10 ms and 1 s), so
/// a call times out at most that much late.
/// </summary>
internal sealed class PluginCallDeadlines : IDisposable
{
    private readonly ConcurrentQueue<Deadline> _pending = new();
    private readonly long _timeoutTicks;
    private readonly Timer? _timer;
    private readonly Lock _sweeping = new();

    public PluginCallDeadlines(TimeSpan timeout)
    {
        Timeout = timeout;
        _timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        if (timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            var tick = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 10, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
            _timer = new Timer(static state => ((PluginCallDeadlines)state!).Sweep(), this, tick, tick);
        }
    }

    /// <summary>The timeout of every call.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// Starts the clock of a call: <paramref name="call"/> is cancelled, and the deadline marked as passed, once the
    /// timeout elapses; <see langword="null"/> when the timeout is infinite.
    /// </summary>
    public Deadline? Start(CancellationTokenSource call)
    {
        if (_timer is null)
        {
            return null;
        }

        var deadline = new Deadline(call, Stopwatch.GetTimestamp() + _timeoutTicks);
        _pending.Enqueue(deadline);
        return deadline;
    }

    public void Dispose() => _timer?.Dispose();

    private void Sweep()
    {
        // One sweep at a time: a slow tick must not let the next one pass a head this one is still deciding.
        if (!_sweeping.TryEnter())
        {
            return;
        }

        try
        {
            var now = Stopwatch.GetTimestamp();
            while (_pending.TryPeek(out var head) && (head.IsFinished || head.Due <= now))
            {
                _pending.TryDequeue(out _);
                head.Expire();
            }
        }
        finally
        {
            _sweeping.Exit();
        }
    }

    /// <summary>One call's deadline: finished when its answer came, passed when the timeout came first.</summary>
    internal sealed class Deadline(CancellationTokenSource call, long due)
    {
        private const int Waiting = 0, Finished = 1, Passed = 2;
        private int _state;

        public long Due => due;

        public bool IsFinished => Volatile.Read(ref _state) == Finished;

        /// <summary>True when the timeout elapsed before the call finished.</summary>
        public bool HasPassed => Volatile.Read(ref _state) == Passed;

        /// <summary>The call is over (answered, failed or cancelled by its caller); its deadline no longer matters.</summary>
        public void Finish() => Interlocked.CompareExchange(ref _state, Finished, Waiting);

        public void Expire()
        {
            if (Interlocked.CompareExchange(ref _state, Passed, Waiting) == Waiting)
            {
                try
                {
                    call.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The call ended between the check and the cancel.
                }
            }
        }
    }
}
