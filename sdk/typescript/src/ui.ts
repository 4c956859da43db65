/**
 * The host API of UI plugins (`infra-ui/1`): panels for the operator portal. A panel is an ES module that the
 * portal loads, with the Subresource Integrity hash from the registry, into a sandboxed iframe under a strict
 * Content-Security-Policy. The panel talks to the portal only through `postMessage`, with the typed messages below;
 * the portal answers only the requests it grants, for the tenant it shows.
 *
 * This module runs in browsers: it uses no Node API, and its window types are structural, so it also runs under
 * a test's fake window.
 */

/** The protocol a UI plugin speaks with its host page. */
export const UI_PROTOCOL = "infra-ui/1";

/** The tenant the panel is shown for. */
export interface TenantInfo {
  readonly id: string;
  readonly displayName: string;
  readonly plan: string;
}

/** A tenant's database use now, read live from PostgreSQL, against its plan's quotas. */
export interface TenantUsage {
  /** The plan whose quotas apply; `null` when the tenant has none. */
  readonly plan: string | null;
  readonly databaseSizeBytes: number;
  /** The plan's database size quota; `null` without a plan. */
  readonly databaseSizeLimitBytes: number | null;
  /** Backends connected to the tenant's database now. */
  readonly connections: number;
  /** The plan's connection limit; `null` without a plan. */
  readonly connectionLimit: number | null;
  /** `ok`, `warning` (80 % of a quota), `over` (100 %) or `no plan`. */
  readonly status: string;
}

/** What a panel may ask the host; each request names one method, and the host answers it or refuses it. */
export interface HostMethods {
  /** The tenant shown. */
  tenant: { params: Record<string, never>; result: TenantInfo };
  /** The tenant's database size and connections now, against its plan. */
  usage: { params: Record<string, never>; result: TenantUsage };
  /** Asks the host to size the panel's frame to `height` CSS pixels. */
  resize: { params: { height: number }; result: null };
}

/** A method name of {@link HostMethods}. */
export type HostMethod = keyof HostMethods;

/** Panel to host: a request. */
export interface HostRequest<M extends HostMethod = HostMethod> {
  readonly protocol: typeof UI_PROTOCOL;
  readonly id: number;
  readonly method: M;
  readonly params: HostMethods[M]["params"];
}

/** Host to panel: an answer to a request, with either `result` or `error`. */
export interface HostResponse<M extends HostMethod = HostMethod> {
  readonly protocol: typeof UI_PROTOCOL;
  readonly id: number;
  readonly result?: HostMethods[M]["result"];
  readonly error?: { readonly code: "denied" | "invalid" | "failed"; readonly message: string };
}

/**
 * Panel to host, first: the panel listens and asks for the hello. It carries nothing, so it may go to any origin:
 * a sandboxed panel does not know its host's origin before the hello names it.
 */
export interface PanelReady {
  readonly protocol: typeof UI_PROTOCOL;
  readonly type: "ready";
}

/** Host to panel, in answer to {@link PanelReady}: who the host is, and which methods it grants this panel. */
export interface HostHello {
  readonly protocol: typeof UI_PROTOCOL;
  readonly type: "hello";
  readonly origin: string;
  readonly grants: readonly HostMethod[];
}

/** The slice of `window` a panel uses (structural, so tests can pass a fake). */
export interface MessageWindow {
  addEventListener(type: "message", listener: (event: { data: unknown; source: unknown; origin: string }) => void): void;
}

/** The slice of the parent window a panel posts to. */
export interface MessageTarget {
  postMessage(message: unknown, targetOrigin: string): void;
}

/** A host request the host refused or failed. */
export class HostError extends Error {
  constructor(readonly code: "denied" | "invalid" | "failed", message: string) {
    super(message);
    this.name = "HostError";
  }
}

/** The typed host API a panel calls. */
export interface Host {
  /** The methods the host grants this panel. */
  readonly grants: readonly HostMethod[];
  /** Calls a host method; rejects with {@link HostError} when the host refuses or fails. */
  call<M extends HostMethod>(method: M, params: HostMethods[M]["params"]): Promise<HostMethods[M]["result"]>;
  tenant(): Promise<TenantInfo>;
  usage(): Promise<TenantUsage>;
  resize(height: number): Promise<null>;
}

/**
 * Connects to the host page: says it is ready, waits for the host's hello, then makes calls. Only messages from
 * `parent` with the protocol's shape are read, and requests go to the origin the hello named, never to `*`.
 */
export function connectHost(self: MessageWindow, parent: MessageTarget, timeoutMs = 10_000): Promise<Host> {
  let nextId = 1;
  let origin: string | null = null;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  return new Promise<Host>((resolveHost, rejectHost) => {
    const timer = setTimeout(() => rejectHost(new Error(`the host sent no ${UI_PROTOCOL} hello within ${timeoutMs} ms`)), timeoutMs);
    self.addEventListener("message", (event) => {
      if (event.source !== parent || !isMessage(event.data)) return;
      const data = event.data;
      if ("type" in data && data.type === "hello" && origin === null) {
        const hello = data as unknown as HostHello;
        origin = hello.origin;
        clearTimeout(timer);
        resolveHost(host(hello.grants));
      } else if ("id" in data && typeof data.id === "number" && pending.has(data.id)) {
        const response = data as unknown as HostResponse;
        const call = pending.get(response.id)!;
        pending.delete(response.id);
        if (response.error) call.reject(new HostError(response.error.code, response.error.message));
        else call.resolve(response.result ?? null);
      }
    });
    const ready: PanelReady = { protocol: UI_PROTOCOL, type: "ready" };
    parent.postMessage(ready, "*");
  });

  function host(grants: readonly HostMethod[]): Host {
    const call = <M extends HostMethod>(method: M, params: HostMethods[M]["params"]) =>
      new Promise<HostMethods[M]["result"]>((resolve, reject) => {
        if (!grants.includes(method)) {
          reject(new HostError("denied", `the host does not grant '${method}' to this panel`));
          return;
        }
        const id = nextId++;
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        const request: HostRequest<M> = { protocol: UI_PROTOCOL, id, method, params };
        parent.postMessage(request, origin!);
      });
    return {
      grants,
      call,
      tenant: () => call("tenant", {}),
      usage: () => call("usage", {}),
      resize: (height) => call("resize", { height }),
    };
  }
}

function isMessage(data: unknown): data is Record<string, unknown> {
  return typeof data === "object" && data !== null && (data as { protocol?: unknown }).protocol === UI_PROTOCOL;
}
