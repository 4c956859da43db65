// Validates Argo Rollouts objects (Rollout, AnalysisTemplate, ...) against the models of the npm package
// @kubernetes-models/argo-rollouts, generated from Argo Rollouts' CRDs: types, required fields, enums and formats.
// Usage: node argo-validate.mjs FILE.json, where FILE holds a JSON array of objects; objects of other API groups
// are skipped. Prints one line per invalid object (kind/name: problem) and exits 1 when there is any, else 0.
import { readFile } from "node:fs/promises";
import * as models from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1";

const [file] = process.argv.slice(2);
if (!file) {
  console.error("usage: node argo-validate.mjs FILE.json");
  process.exit(2);
}

const objects = JSON.parse(await readFile(file, "utf8"));
let invalid = 0;
let checked = 0;
for (const object of objects) {
  if (object?.apiVersion !== "argoproj.io/v1alpha1") {
    continue;
  }

  const name = `${object.kind}/${object.metadata?.name}`;
  const Model = models[object.kind];
  if (typeof Model !== "function") {
    console.log(`${name}: argoproj.io/v1alpha1 has no kind '${object.kind}'`);
    invalid++;
    continue;
  }

  checked++;
  try {
    new Model(object).validate();
  } catch (error) {
    console.log(`${name}: ${error.message}`);
    invalid++;
  }
}

console.log(`argo-validate: ${checked} object(s) checked, ${invalid} invalid`);
process.exit(invalid === 0 ? 0 : 1);
