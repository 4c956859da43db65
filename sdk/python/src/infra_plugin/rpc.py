"""The JSON-RPC 2.0 loop: one message per line on stdin and stdout, stderr for the log.

Requests run concurrently: coroutine handlers as asyncio tasks, plain functions on worker threads, so a slow call
never holds up the others. ``$/cancelRequest`` cancels the task of the call it names.
"""
from __future__ import annotations

import asyncio
import atexit
import inspect
import json
import os
import sys
import threading
import traceback
from dataclasses import dataclass
from typing import IO, Any, Awaitable, Callable, Iterable, Mapping, Union

from .errors import ErrorCodes, PluginError
from .values import decode_marker, encode_marker, to_wire

PROTOCOL_VERSION = "infra-plugin/1"

# Markers are read and written by the json module's own passes (hooks called per object and per unknown value), not
# by a second walk over every value of every message: that walk was the SDK's largest cost per call.
_DECODER = json.JSONDecoder(object_hook=decode_marker)
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=encode_marker)

Handler = Callable[[Any], Union[Any, Awaitable[Any]]]


@dataclass(frozen=True)
class PluginInfo:
    name: str
    version: str
    capabilities: tuple[str, ...]


class _Writer:
    """Writes whole lines. The answers completed in one pass of the event loop (the calls of one chunk of input) leave
    in one write: one system call, and one wake-up of the engine's reader, instead of one per answer."""

    def __init__(self, output: IO[bytes], loop: asyncio.AbstractEventLoop) -> None:
        self._output = output
        self._loop = loop
        self._loop_thread = threading.get_ident()
        self._lock = threading.Lock()
        self._queued: list[bytes] = []
        self._flush_scheduled = False

    def write(self, message: Mapping[str, Any]) -> None:
        line = _ENCODER.encode(message).encode("utf-8") + b"\n"
        with self._lock:
            self._queued.append(line)
            if not self._flush_scheduled:
                self._flush_scheduled = True
                # From the loop's own thread without waking it through its self-pipe (a system call per answer).
                if threading.get_ident() == self._loop_thread:
                    self._loop.call_soon(self.flush)
                else:
                    self._loop.call_soon_threadsafe(self.flush)

    def flush_after_calls_started(self) -> None:
        """Schedules a flush behind the first steps of the calls just started (from the loop's thread), so that the
        answers they finish at once leave in that same pass of the loop instead of one pass later."""
        with self._lock:
            if self._flush_scheduled:
                return
            self._flush_scheduled = True
        self._loop.call_soon(self.flush)

    def flush(self) -> None:
        """Writes what is queued; the loop calls it once per pass, and serve once more before it returns."""
        with self._lock:
            lines, self._queued = self._queued, []
            self._flush_scheduled = False
        if lines:
            self._output.write(b"".join(lines))
            self._output.flush()


async def serve(
    info: PluginInfo,
    methods: Mapping[str, Handler],
    input: IO[bytes] | None = None,
    output: IO[bytes] | None = None,
) -> None:
    """Serves ``methods`` until the input ends, then waits for calls in flight."""
    if output is None:
        output = sys.stdout.buffer
        # stdout carries the protocol: a stray print() goes to the log instead.
        sys.stdout = sys.stderr
    loop = asyncio.get_running_loop()
    writer = _Writer(output, loop)
    handlers: dict[str, Handler] = dict(methods)
    handlers["handshake"] = lambda params: _handshake(info, params)
    dispatcher = _Dispatcher(handlers, writer)
    ended: asyncio.Future[None] = loop.create_future()
    transport, _ = await loop.connect_read_pipe(lambda: _Lines(dispatcher.dispatch, writer.flush_after_calls_started, ended),
                                                input if input is not None else sys.stdin.buffer)
    try:
        await ended
    finally:
        transport.close()
    if dispatcher.tasks:
        await asyncio.gather(*dispatcher.tasks.values(), return_exceptions=True)
    writer.flush()


_LINE_LIMIT = 64 * 1024 * 1024


class _Lines(asyncio.Protocol):
    """Hands each input line to ``on_line`` as soon as its chunk arrives, in the transport's own callback: no reader
    task between the pipe and the dispatch, so a request costs one pass of the event loop fewer."""

    def __init__(self, on_line: Callable[[bytes], None], on_lines_done: Callable[[], None], ended: asyncio.Future[None]) -> None:
        self._on_line = on_line
        self._on_lines_done = on_lines_done
        self._ended = ended
        self._partial: list[bytes] = []
        self._partial_size = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # The pipe transport reads up to 256 KiB at a time; a buffer that size is above the allocator's mmap threshold,
        # so every read mapped, remapped and unmapped it: three system calls per request. 64 KiB stays on the heap.
        if isinstance(getattr(transport, "max_size", None), int):
            transport.max_size = 64 * 1024  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        start = 0
        end = data.find(b"\n")
        if end < 0:
            self._keep(data)
            return
        if self._partial:
            self._partial.append(data[:end])
            line = b"".join(self._partial)
            self._partial, self._partial_size = [], 0
            self._on_line(line)
            start = end + 1
            end = data.find(b"\n", start)
        while end >= 0:
            self._on_line(data[start:end])
            start = end + 1
            end = data.find(b"\n", start)
        if start < len(data):
            self._keep(data[start:])
        self._on_lines_done()

    def _keep(self, part: bytes) -> None:
        self._partial.append(part)
        self._partial_size += len(part)
        if self._partial_size > _LINE_LIMIT and not self._ended.done():
            self._ended.set_exception(ValueError(f"a request is longer than {_LINE_LIMIT} bytes without a line end"))

    def connection_lost(self, exc: Exception | None) -> None:
        if self._ended.done():
            return
        if self._partial:
            # The last request may lack its line end.
            self._on_line(b"".join(self._partial))
            self._partial = []
        if exc is None:
            self._ended.set_result(None)
        else:
            self._ended.set_exception(exc)


class _Dispatcher:
    """Parses each request line and starts its call as an asyncio task; notifications cancel them."""

    def __init__(self, handlers: Mapping[str, Handler], writer: _Writer) -> None:
        self._handlers = handlers
        self._writer = writer
        self._loop = asyncio.get_running_loop()
        self.tasks: dict[Any, asyncio.Task[None]] = {}

    def dispatch(self, line: bytes) -> None:
        if not line.strip():
            return
        try:
            request = _DECODER.decode(line.decode("utf-8"))
        except (ValueError, RecursionError) as error:  # RecursionError: nested too deep for the decoder
            self._writer.write({"jsonrpc": "2.0", "id": None, "error": {"code": ErrorCodes.PARSE_ERROR, "message": f"not JSON: {error}"}})
            return
        if not isinstance(request, dict) or not isinstance(request.get("method"), str) or isinstance(request.get("id"), (dict, list)):
            self._writer.write({"jsonrpc": "2.0", "id": None, "error": {"code": ErrorCodes.INVALID_REQUEST, "message": "expected a JSON-RPC 2.0 request"}})
            return
        request_id = request.get("id")
        if request_id is None:
            if request["method"] == "$/cancelRequest":
                params = request.get("params")
                # Popped here too: a task cancelled before its first step never runs its body.
                task = self.tasks.pop(params.get("id") if isinstance(params, dict) else None, None)
                if task is not None:
                    task.cancel()
            return
        self.tasks[request_id] = self._loop.create_task(self._call(request_id, request))

    async def _call(self, request_id: Any, request: dict[str, Any]) -> None:
        writer = self._writer
        try:
            handler = self._handlers.get(request["method"])
            if handler is None:
                raise PluginError(ErrorCodes.METHOD_NOT_FOUND, f"this plugin does not serve '{request['method']}'")
            result = await _invoke(handler, request.get("params") or {})
            writer.write({"jsonrpc": "2.0", "id": request_id, "result": result})
        except asyncio.CancelledError:
            writer.write({"jsonrpc": "2.0", "id": request_id, "error": {"code": ErrorCodes.INTERNAL, "message": "cancelled"}})
        except Exception as error:  # noqa: BLE001 - any bug in a handler is answered, never crashes the loop
            writer.write({"jsonrpc": "2.0", "id": request_id, "error": _error_body(error)})
        finally:
            # Here rather than in a done callback, which would cost one more pass of the loop per call.
            self.tasks.pop(request_id, None)


async def _invoke(handler: Handler, params: Any) -> Any:
    """Runs a coroutine handler on the loop and a plain one on a worker thread."""
    if inspect.iscoroutinefunction(handler):
        return await handler(params)
    result = await asyncio.to_thread(handler, params)
    if inspect.isawaitable(result):
        result = await result
    return result


def _error_body(error: Exception) -> dict[str, Any]:
    """The JSON-RPC error object for what a handler raised: a PluginError keeps its code, anything else is internal."""
    if isinstance(error, PluginError):
        body: dict[str, Any] = {"code": error.code, "message": error.message}
        if error.data is not None:
            body["data"] = to_wire(error.data)
        return body
    traceback.print_exception(error, file=sys.stderr)
    return {"code": ErrorCodes.INTERNAL, "message": f"{type(error).__name__}: {error}", "data": {"type": type(error).__name__}}


def batch_of(handlers: Mapping[str, Handler], allowed: Iterable[str]) -> Handler:
    """The ``batch`` handler: runs each call with its method from ``handlers`` (only those in ``allowed``) concurrently,
    and answers every call on its own, in the calls' order, once all are done. A call that raises fails alone."""
    permitted = frozenset(allowed)

    async def one(call: Any) -> dict[str, Any]:
        try:
            if not isinstance(call, dict) or not isinstance(call.get("method"), str):
                raise PluginError(ErrorCodes.INVALID_REQUEST, "each call of a batch needs a method and params")
            handler = handlers.get(call["method"]) if call["method"] in permitted else None
            if handler is None:
                raise PluginError(ErrorCodes.METHOD_NOT_FOUND, f"a batch cannot carry '{call['method']}'")
            return {"result": await _invoke(handler, call.get("params") or {})}
        except Exception as error:  # noqa: BLE001 - one call's failure is its own answer
            return {"error": _error_body(error)}

    async def batch(params: Any) -> dict[str, Any]:
        calls = params.get("calls") if isinstance(params, dict) else None
        if not isinstance(calls, list):
            raise PluginError.invalid_params("params lack 'calls'", "calls")
        return {"results": list(await asyncio.gather(*(one(call) for call in calls)))}

    return batch


def _handshake(info: PluginInfo, params: Any) -> dict[str, Any]:
    protocol = params.get("protocol") if isinstance(params, dict) else None
    if protocol != PROTOCOL_VERSION:
        raise PluginError(ErrorCodes.PROTOCOL_MISMATCH, f"this plugin speaks {PROTOCOL_VERSION}, not {protocol}", {"supported": [PROTOCOL_VERSION]})
    return {"name": info.name, "version": info.version, "protocol": PROTOCOL_VERSION, "capabilities": list(info.capabilities)}


def run(coroutine: Awaitable[None], *, end_process: bool = False) -> None:
    """Runs a serve coroutine as the process's main loop.

    With ``end_process`` (the plugin serves its own stdin and stdout), the process then ends at once. The engine waits
    for a plugin to exit before its operation ends, and the interpreter's teardown (freeing every module and object)
    takes 20 ms and more of that wait. The atexit hooks still run and the standard streams are flushed, as on a normal
    exit."""
    asyncio.run(coroutine)  # type: ignore[arg-type]
    if end_process:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
