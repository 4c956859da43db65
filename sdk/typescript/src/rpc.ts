/**
 * The JSON-RPC 2.0 loop: one message per line on stdin and stdout (newline-delimited), stderr for the log.
 * Requests are handled concurrently: a slow call does not hold up the others, and `$/cancelRequest` aborts
 * the signal a handler gets.
 */
import { once } from "node:events";
import { createInterface } from "node:readline";
import { ErrorCodes, PluginError } from "./errors.js";
import { PROTOCOL_VERSION, type BatchCall, type BatchItem, type PluginInfo } from "./protocol.js";
import { fromWire, Secret, Unknown, type Json, type PropertyValue } from "./values.js";

/** What a handler learns about its call. */
export interface CallContext {
  method: string;
  /** Aborted when the engine cancels the call (`$/cancelRequest`) or goes away. */
  signal: AbortSignal;
}

/** A method's implementation: gets the params with markers decoded, returns the result (markers encoded on the way out). */
export type Handler = (params: PropertyValue, context: CallContext) => unknown;

/** Where the loop reads and writes; stdin and stdout by default. */
export interface ServeOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

interface Request {
  jsonrpc: "2.0";
  id?: string | number | null;
  method: string;
  params?: Json;
}

/**
 * Serves `methods` until the input ends (the engine closed the pipe), then waits for calls in flight.
 * `handshake` is answered here: a plugin that speaks another protocol is refused with `protocolMismatch`.
 */
export async function serve(
  info: Omit<PluginInfo, "protocol">,
  methods: { [method: string]: Handler },
  options: ServeOptions = {},
): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  if (output === process.stdout) {
    // stdout carries the protocol: a stray console.log must not corrupt it.
    console.log = console.error;
    console.info = console.error;
    console.debug = console.error;
  }
  // The answers completed in one turn of the event loop (the calls of one chunk of input) leave in one write: one
  // system call, and one wake-up of the engine's reader, instead of one per answer; a turn later at most.
  let queued: string[] = [];
  const flush = (): void => {
    if (queued.length === 0) return;
    const text = queued.join("");
    queued = [];
    output.write(text);
  };
  const write = (message: object): void => {
    if (queued.length === 0) setImmediate(flush);
    queued.push(JSON.stringify(message) + "\n");
  };
  const inFlight = new Map<string | number, LazyAbort>();
  const pending = new Set<Promise<void>>();
  const all: { [method: string]: Handler } = {
    ...methods,
    handshake: (params) => handshake(info, params),
  };

  // Each line is handled as the reader emits it: an async iterator over the lines would cost a promise and a
  // microtask turn per request, on the path of every call.
  const receive = (line: string): void => {
    if (line.trim() === "") return;
    let request: Request;
    try {
      request = JSON.parse(line) as Request;
    } catch (error) {
      write({ jsonrpc: "2.0", id: null, error: { code: ErrorCodes.parseError, message: `not JSON: ${String(error)}` } });
      return;
    }
    if (request === null || typeof request !== "object" || typeof request.method !== "string") {
      write({ jsonrpc: "2.0", id: null, error: { code: ErrorCodes.invalidRequest, message: "expected a JSON-RPC 2.0 request" } });
      return;
    }
    if (request.id === undefined || request.id === null) {
      if (request.method === "$/cancelRequest") {
        const params = request.params as { id?: string | number } | undefined;
        if (params?.id !== undefined) inFlight.get(params.id)?.abort();
      }
      return;
    }
    const id = request.id;
    const abort = new LazyAbort();
    inFlight.set(id, abort);
    const call = dispatch(all, request, abort)
      .then(
        (result) => write({ jsonrpc: "2.0", id, result: encode(result) }),
        (error: unknown) => write({ jsonrpc: "2.0", id, error: errorOf(error) }),
      )
      .finally(() => {
        inFlight.delete(id);
        pending.delete(call);
      });
    pending.add(call);
  };
  const lines = createInterface({ input, crlfDelay: Infinity });
  const closed = once(lines, "close");
  lines.on("line", receive);
  await closed;
  await Promise.allSettled([...pending]);
  flush();
  for (const call of inFlight.values()) call.abort();
}

async function dispatch(methods: { [method: string]: Handler }, request: Request, abort: LazyAbort): Promise<unknown> {
  const handler = methods[request.method];
  if (handler === undefined) {
    throw new PluginError(ErrorCodes.methodNotFound, `this plugin does not serve '${request.method}'`);
  }
  const params = request.params === undefined ? {} : fromWire(request.params);
  return await handler(params, { method: request.method, get signal() { return abort.signal; } });
}

/**
 * A call's abort signal, made when its handler first asks for it: most handlers never do, and an AbortController
 * per call was about a tenth of the SDK's CPU per call. Aborting before that makes the signal start aborted.
 */
class LazyAbort {
  #controller: AbortController | undefined;
  #aborted = false;

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort();
    }
    return this.#controller.signal;
  }

  abort(): void {
    this.#aborted = true;
    this.#controller?.abort();
  }
}

/**
 * The `batch` handler: runs each call with its method from `methods` (only those named in `allowed`) concurrently,
 * and answers every call on its own, in the calls' order, once all are done. A call that throws fails alone.
 */
export function batchOf(methods: { [method: string]: Handler }, allowed: readonly string[]): Handler {
  return async (params, context) => {
    const calls = params !== null && typeof params === "object" && !Array.isArray(params) ? (params as { calls?: unknown }).calls : undefined;
    if (!Array.isArray(calls)) throw PluginError.invalidParams("params lack 'calls'", "calls");
    const results = await Promise.all(calls.map(async (call: unknown): Promise<BatchItem> => {
      try {
        if (call === null || typeof call !== "object" || Array.isArray(call) || typeof (call as BatchCall).method !== "string") {
          throw new PluginError(ErrorCodes.invalidRequest, "each call of a batch needs a method and params");
        }
        const { method, params: callParams } = call as BatchCall;
        const handler = allowed.includes(method) ? methods[method] : undefined;
        if (handler === undefined) throw new PluginError(ErrorCodes.methodNotFound, `a batch cannot carry '${method}'`);
        return { result: (await handler(callParams ?? {}, { method, get signal() { return context.signal; } })) ?? null };
      } catch (error) {
        return { error: errorOf(error) };
      }
    }));
    return { results };
  };
}

function handshake(info: Omit<PluginInfo, "protocol">, params: PropertyValue): PluginInfo {
  const protocol = params !== null && typeof params === "object" && !Array.isArray(params) ? (params as { protocol?: unknown }).protocol : undefined;
  if (protocol !== PROTOCOL_VERSION) {
    throw new PluginError(ErrorCodes.protocolMismatch, `this plugin speaks ${PROTOCOL_VERSION}, not ${String(protocol)}`, {
      supported: [PROTOCOL_VERSION],
    });
  }
  return { ...info, protocol: PROTOCOL_VERSION };
}

function errorOf(error: unknown): { code: number; message: string; data?: unknown } {
  if (error instanceof PluginError) {
    return error.data === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, data: encode(error.data) };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(error instanceof Error && error.stack !== undefined ? error.stack : message);
  return { code: ErrorCodes.internal, message, data: { type: error instanceof Error ? error.name : typeof error } };
}

/** Encodes a result for the wire: secrets and unknowns as markers, `undefined` fields left out. */
function encode(value: unknown): Json {
  if (value === undefined || value === null) return null;
  if (value instanceof Unknown) return { $unknown: true };
  if (value instanceof Secret) return { $secret: encode(value.reveal()) };
  if (Array.isArray(value)) return value.map(encode);
  if (typeof value === "object") {
    const json: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) json[key] = encode(item);
    }
    return json;
  }
  if (typeof value === "boolean" || typeof value === "number" || typeof value === "string") return value;
  throw new TypeError(`cannot send a ${typeof value} over the protocol`);
}
