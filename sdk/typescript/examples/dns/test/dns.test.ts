import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { isSecret, PluginError, secret, UNKNOWN } from "@infra/plugin-sdk";
import { DnsProvider, RECORD_TYPE } from "../src/provider.js";

const urn = "urn:pulumi:dev::site::dns:index:Record::www";

async function provider(): Promise<{ dns: DnsProvider; file: string }> {
  const file = join(await mkdtemp(join(tmpdir(), "dns-")), "zone.db");
  const dns = new DnsProvider();
  dns.configure({ stackName: "dev", projectName: "site", projectDirectory: "/", config: { zoneFile: file, origin: "example.com" }, isPreview: false });
  return { dns, file };
}

test("a record goes through create, read, update and delete in the zone file", async () => {
  const { dns, file } = await provider();
  const inputs = dns.check({ urn, type: RECORD_TYPE, oldInputs: null, newInputs: { name: "www", type: "A", value: "192.0.2.1" } }).inputs;
  const created = await dns.create({ urn, type: RECORD_TYPE, inputs, timeout: null, preview: false });
  assert.equal(created.id, "www/A");
  assert.equal(created.outputs["fqdn"], "www.example.com.");
  assert.equal(await readFile(file, "utf8"), "www 300 IN A 192.0.2.1\n");
  const read = await dns.read({ urn, type: RECORD_TYPE, id: "www/A", inputs: null, outputs: null });
  assert.equal(read.status, "found");
  await dns.update({ urn, type: RECORD_TYPE, id: "www/A", oldInputs: inputs, oldOutputs: created.outputs, newInputs: { ...inputs, value: "192.0.2.2" }, timeout: null, preview: false });
  assert.equal(await readFile(file, "utf8"), "www 300 IN A 192.0.2.2\n");
  await dns.delete({ urn, type: RECORD_TYPE, id: "www/A", inputs, outputs: created.outputs, timeout: null });
  await dns.delete({ urn, type: RECORD_TYPE, id: "www/A", inputs, outputs: created.outputs, timeout: null });
  assert.equal((await dns.read({ urn, type: RECORD_TYPE, id: "www/A", inputs: null, outputs: null })).status, "notFound");
});

test("create adopts an identical record and refuses a different one with a conflict", async () => {
  const { dns } = await provider();
  const inputs = { name: "www", type: "A", value: "192.0.2.1", ttl: 300 };
  await dns.create({ urn, type: RECORD_TYPE, inputs, timeout: null, preview: false });
  const again = await dns.create({ urn, type: RECORD_TYPE, inputs, timeout: null, preview: false });
  assert.equal(again.id, "www/A");
  await assert.rejects(
    () => dns.create({ urn, type: RECORD_TYPE, inputs: { ...inputs, value: "192.0.2.9" }, timeout: null, preview: false }),
    (error: unknown) => error instanceof PluginError && error.code === 1001,
  );
});

test("check names each invalid input, a preview keeps unknowns, and a secret value stays secret when read back", async () => {
  const { dns } = await provider();
  const checked = dns.check({ urn, type: RECORD_TYPE, oldInputs: null, newInputs: { name: "bad name", type: "SPF", value: "" } });
  assert.deepEqual(checked.failures.map((f) => f.property), ["name", "type", "value"]);
  const preview = await dns.create({ urn, type: RECORD_TYPE, inputs: { name: UNKNOWN, type: "TXT", value: "v" }, timeout: null, preview: true });
  assert.equal(preview.id, "");
  assert.equal(preview.outputs["fqdn"], UNKNOWN);
  const inputs = { name: "_verify", type: "TXT", value: secret("token-123"), ttl: 60 };
  const created = await dns.create({ urn, type: RECORD_TYPE, inputs, timeout: null, preview: false });
  const read = await dns.read({ urn, type: RECORD_TYPE, id: created.id, inputs, outputs: created.outputs });
  assert.ok(isSecret(read.inputs["value"]));
});
