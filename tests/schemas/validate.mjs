// Checks custom resources against their schemas. Usage: node validate.mjs FILE, where FILE holds a JSON array of
// manifests. Prints one JSON line per manifest: {"object": "Kind ns/name", "status": "valid"|"invalid"|"no-schema",
// "source": ..., "errors": [...]}; exits 0 when it could check the file (the caller judges the lines).
//
// Where an @kubernetes-models/* package models the kind, its validator checks types, required fields and enums.
// Otherwise the CRD schema vendored in crds/ (see vendor-crds.py) is used the way the API server reads a structural
// schema, and strictly: a field the schema does not declare fails, as `kubectl apply --validate=strict` would.
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";

const here = dirname(fileURLToPath(import.meta.url));
const packages = {
  "helm.toolkit.fluxcd.io": "@kubernetes-models/flux-cd",
  "source.toolkit.fluxcd.io": "@kubernetes-models/flux-cd",
  "kustomize.toolkit.fluxcd.io": "@kubernetes-models/flux-cd",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "bitnami.com": "@kubernetes-models/sealed-secrets",
};
// useDefaults: the API server applies a schema's defaults before it validates, so a required field with a default may be left out.
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, useDefaults: true });

// Structural schemas prune what they do not declare; strict validation rejects it instead.
function strict(schema) {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== "object") return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) out[key] = key === "enum" || key === "default" ? value : strict(value);
  if (out.properties && out.additionalProperties === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true) {
    out.additionalProperties = false;
  }
  if (out["x-kubernetes-int-or-string"] === true && out.type === undefined) out.anyOf = [{ type: "integer" }, { type: "string" }];
  return out;
}

async function check(manifest) {
  const [group, version] = manifest.apiVersion.includes("/") ? manifest.apiVersion.split("/") : ["", manifest.apiVersion];
  const kind = manifest.kind;
  const name = `${kind} ${manifest.metadata?.namespace ? manifest.metadata.namespace + "/" : ""}${manifest.metadata?.name}`;
  if (packages[group]) {
    const module = await import(`${packages[group]}/${group}/${version}`).catch(() => null);
    const model = module?.[kind];
    if (model) {
      try {
        new model(manifest).validate();
        return { object: name, status: "valid", source: packages[group] };
      } catch (error) {
        return { object: name, status: "invalid", source: packages[group], errors: [String(error.message ?? error)] };
      }
    }
  }
  const file = join(here, "crds", `${group}_${version}_${kind}.json`);
  if (!existsSync(file)) return { object: name, status: "no-schema" };
  const validate = ajv.compile(strict(JSON.parse(readFileSync(file, "utf8"))));
  const { apiVersion, kind: _, metadata, ...rest } = manifest;
  // metadata is the API server's ObjectMeta, not part of the CRD's schema beyond "type: object".
  if (validate({ apiVersion, kind, metadata: {}, ...rest })) return { object: name, status: "valid", source: `crds/${group}_${version}_${kind}.json` };
  const errors = validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` ('${e.params.additionalProperty}')` : ""}`);
  return { object: name, status: "invalid", source: `crds/${group}_${version}_${kind}.json`, errors };
}

const manifests = JSON.parse(readFileSync(process.argv[2], "utf8"));
for (const manifest of manifests) process.stdout.write(JSON.stringify(await check(manifest)) + "\n");
