import assert from "node:assert/strict";
import { test } from "node:test";
import { connectHost, HostError, UI_PROTOCOL, type HostRequest } from "../src/ui.js";

/** A fake window pair: the panel's window and its parent, the host page at https://portal.test. */
function frames() {
  const listeners: ((event: { data: unknown; source: unknown; origin: string }) => void)[] = [];
  const sent: { message: HostRequest; origin: string }[] = [];
  const parent = { postMessage: (message: unknown, origin: string) => sent.push({ message: message as HostRequest, origin }) };
  const self = { addEventListener: (_: "message", listener: (typeof listeners)[number]) => listeners.push(listener) };
  const deliver = (data: unknown, source: unknown = parent) => listeners.forEach((l) => l({ data, source, origin: "https://portal.test" }));
  return { self, parent, sent, deliver };
}

test("a panel calls granted host methods by postMessage to the host's origin and gets typed answers", async () => {
  const { self, parent, sent, deliver } = frames();
  const connecting = connectHost(self, parent, 1000);
  deliver({ protocol: UI_PROTOCOL, type: "hello", origin: "https://portal.test", grants: ["tenant", "usage"] });
  const host = await connecting;

  const usage = host.usage(7);
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0], { message: { protocol: UI_PROTOCOL, id: 1, method: "usage", params: { days: 7 } }, origin: "https://portal.test" });
  deliver({ protocol: UI_PROTOCOL, id: 1, result: [{ date: "2026-11-01", cpuSeconds: 5, storageBytes: 1024, requests: 9 }] });
  assert.equal((await usage)[0]?.requests, 9);
});

test("a method the host does not grant is refused without a message, and a host refusal rejects the call", async () => {
  const { self, parent, sent, deliver } = frames();
  const connecting = connectHost(self, parent, 1000);
  deliver({ protocol: UI_PROTOCOL, type: "hello", origin: "https://portal.test", grants: ["usage"] });
  const host = await connecting;

  await assert.rejects(host.tenant(), (e: unknown) => e instanceof HostError && e.code === "denied");
  assert.equal(sent.length, 0);
  const usage = host.usage(400);
  deliver({ protocol: UI_PROTOCOL, id: 1, error: { code: "invalid", message: "days is at most 90" } });
  await assert.rejects(usage, /days is at most 90/);
});

test("messages from another window or without the protocol are ignored", async () => {
  const { self, parent, deliver } = frames();
  const connecting = connectHost(self, parent, 200);
  deliver({ protocol: UI_PROTOCOL, type: "hello", origin: "https://evil.test", grants: ["tenant"] }, { other: "window" });
  deliver({ type: "hello", origin: "https://evil.test", grants: ["tenant"] });
  await assert.rejects(connecting, /no infra-ui\/1 hello within 200 ms/);
});
