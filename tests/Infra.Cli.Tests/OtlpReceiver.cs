using System.Net;
using System.Net.Sockets;

namespace Infra.Cli.Tests;

/// <summary>A span as an OTLP/HTTP receiver decodes it (only the fields the tests read).</summary>
internal sealed record ReceivedSpan(string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// A minimal OTLP/HTTP trace receiver on 127.0.0.1: it accepts <c>POST /v1/traces</c> (protobuf, as the .NET exporter
/// sends with <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>) and decodes the spans with a small protobuf reader.
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<ReceivedSpan> _spans = [];
    private readonly Task _loop;

    public OtlpReceiver()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<ReceivedSpan> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _ = _loop.Exception;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                var spans = Decode(body.ToArray());
                lock (_spans)
                {
                    _spans.AddRange(spans);
                }
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>ExportTraceServiceRequest → resource_spans(1) → scope_spans(2) → spans(2).</summary>
    private static List<ReceivedSpan> Decode(byte[] request)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var resourceSpans in Fields(request).Where(static f => f.Number == 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans.Bytes).Where(static f => f.Number == 2))
            {
                foreach (var span in Fields(scopeSpans.Bytes).Where(static f => f.Number == 2))
                {
                    spans.Add(DecodeSpan(span.Bytes));
                }
            }
        }

        return spans;
    }

    private static ReceivedSpan DecodeSpan(byte[] span)
    {
        string traceId = string.Empty, spanId = string.Empty, parent = string.Empty, name = string.Empty;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in Fields(span))
        {
            switch (field.Number)
            {
                case 1: traceId = Convert.ToHexString(field.Bytes); break;
                case 2: spanId = Convert.ToHexString(field.Bytes); break;
                case 4: parent = Convert.ToHexString(field.Bytes); break;
                case 5: name = System.Text.Encoding.UTF8.GetString(field.Bytes); break;
                case 9:
                    // KeyValue: key(1) string, value(2) AnyValue with string_value(1).
                    var key = Fields(field.Bytes).FirstOrDefault(static f => f.Number == 1)?.Bytes;
                    var value = Fields(field.Bytes).FirstOrDefault(static f => f.Number == 2)?.Bytes is { } any
                        ? Fields(any).FirstOrDefault(static f => f.Number == 1)?.Bytes
                        : null;
                    if (key is not null && value is not null)
                    {
                        attributes[System.Text.Encoding.UTF8.GetString(key)] = System.Text.Encoding.UTF8.GetString(value);
                    }

                    break;
            }
        }

        return new ReceivedSpan(traceId, spanId, parent, name, attributes);
    }

    private sealed record Field(int Number, byte[] Bytes);

    /// <summary>The length-delimited fields of a protobuf message (others are skipped).</summary>
    private static List<Field> Fields(byte[] message)
    {
        var fields = new List<Field>();
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var number = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0: ReadVarint(message, ref position); break;
                case 1: position += 8; break;
                case 5: position += 4; break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    fields.Add(new Field(number, message[position..(position + length)]));
                    position += length;
                    break;
                default: throw new InvalidDataException($"unsupported protobuf wire type in tag {tag}");
            }
        }

        return fields;
    }

    private static ulong ReadVarint(byte[] buffer, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = buffer[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
