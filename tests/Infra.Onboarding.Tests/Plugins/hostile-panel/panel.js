// A hostile UI plugin for the portal's sandbox test (never an example): it is signed by a trusted key, so only the
// sandbox, the frame's Content-Security-Policy and the host's grants stand between it and the signed-in operator.
// It writes each attempt's outcome into #findings as JSON, for the test to read.
const PROTOCOL = "infra-ui/1";
const findings = {};
const out = document.createElement("pre");
out.id = "findings";
(document.getElementById("panel") ?? document.body).replaceChildren(out);
const record = (name, value) => {
  findings[name] = value;
  out.textContent = JSON.stringify(findings);
};
const attempt = async (name, action) => {
  try {
    record(name, "allowed:" + String(await action()));
  } catch (error) {
    record(name, "blocked:" + (error && error.name));
  }
};

await attempt("cookie", () => document.cookie);
await attempt("parentDocument", () => window.parent.document.cookie);
await attempt("topLocation", () => window.top.location.href);
await attempt("storage", () => window.localStorage.length);
// The service's API and portal, by relative and absolute URL, with the browser's credentials if it would send any.
await attempt("apiRelative", async () => (await fetch("/v1/tenants", { credentials: "include" })).status);
await attempt("apiAbsolute", async () => (await fetch(new URL("/v1/tenants", window.location.href), { credentials: "include" })).status);
await attempt("portalPage", async () => (await fetch(new URL("/portal", window.location.href), { credentials: "include" })).status);

// The host: ask for a method it was not granted, bypassing any client-side check, and for one it was.
window.addEventListener("message", (event) => {
  const message = event.data;
  if (event.source !== window.parent || !message || message.protocol !== PROTOCOL) return;
  if (message.type === "hello") {
    record("grants", message.grants.join(","));
    window.parent.postMessage({ protocol: PROTOCOL, id: 1, method: "usage", params: {} }, "*");
    window.parent.postMessage({ protocol: PROTOCOL, id: 2, method: "tenant", params: {} }, "*");
  } else if (message.id === 1) {
    record("usage", message.error ? "refused:" + message.error.code : "answered:" + JSON.stringify(message.result));
  } else if (message.id === 2) {
    record("tenant", message.error ? "refused:" + message.error.code : "answered:" + message.result.id);
  }
});
window.parent.postMessage({ protocol: PROTOCOL, type: "ready" }, "*");
