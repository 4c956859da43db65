import assert from "node:assert/strict";
import { test } from "node:test";
import { connectHost, HostError, UI_PROTOCOL, type HostRequest, type TenantUsage } from "../src/ui.js";

/** A fake window pair: the panel's window and its parent, the host page at https://portal.test. */
function frames() {
  const listeners: ((event: { data: unknown; source: unknown; origin: string }) => void)[] = [];
  const sent: { message: unknown; origin: string }[] = [];
  const parent = { postMessage: (message: unknown, origin: string) => sent.push({ message, origin }) };
  const self = { addEventListener: (_: "message", listener: (typeof listeners)[number]) => listeners.push(listener) };
  const deliver = (data: unknown, source: unknown = parent) => listeners.forEach((l) => l({ data, source, origin: "https://portal.test" }));
  return { self, parent, sent, deliver };
}

const usage: TenantUsage = { plan: "free", databaseSizeBytes: 8_000_000, databaseSizeLimitBytes: 10_000_000, connections: 2, connectionLimit: 5, status: "warning" };

test("a panel says it is ready, then calls granted host methods by postMessage to the host's origin and gets typed answers", async () => {
  const { self, parent, sent, deliver } = frames();
  const connecting = connectHost(self, parent, 1000);
  assert.deepEqual(sent, [{ message: { protocol: UI_PROTOCOL, type: "ready" }, origin: "*" }]);
  deliver({ protocol: UI_PROTOCOL, type: "hello", origin: "https://portal.test", grants: ["tenant", "usage"] });
  const host = await connecting;

  const answer = host.usage();
  assert.equal(sent.length, 2);
  const request: HostRequest = { protocol: UI_PROTOCOL, id: 1, method: "usage", params: {} };
  assert.deepEqual(sent[1], { message: request, origin: "https://portal.test" });
  deliver({ protocol: UI_PROTOCOL, id: 1, result: usage });
  assert.equal((await answer).databaseSizeLimitBytes, 10_000_000);
});

test("a method the host does not grant is refused without a message, and a host refusal rejects the call", async () => {
  const { self, parent, sent, deliver } = frames();
  const connecting = connectHost(self, parent, 1000);
  deliver({ protocol: UI_PROTOCOL, type: "hello", origin: "https://portal.test", grants: ["usage"] });
  const host = await connecting;

  await assert.rejects(host.tenant(), (e: unknown) => e instanceof HostError && e.code === "denied");
  assert.equal(sent.length, 1);
  const answer = host.usage();
  deliver({ protocol: UI_PROTOCOL, id: 1, error: { code: "failed", message: "the database did not answer" } });
  await assert.rejects(answer, /the database did not answer/);
});

test("messages from another window or without the protocol are ignored", async () => {
  const { self, parent, deliver } = frames();
  const connecting = connectHost(self, parent, 200);
  deliver({ protocol: UI_PROTOCOL, type: "hello", origin: "https://evil.test", grants: ["tenant"] }, { other: "window" });
  deliver({ type: "hello", origin: "https://evil.test", grants: ["tenant"] });
  await assert.rejects(connecting, /no infra-ui\/1 hello within 200 ms/);
});
