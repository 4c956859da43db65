// The portal's side of infra-ui/1 (the TypeScript SDK's ui.ts holds the typed contract; this script answers it).
// Each panel runs in an iframe sandboxed to an opaque origin. The host answers only messages whose source is that
// frame's window, answers only the methods the portal grants that panel, and gives it only the data of the tenant
// this page shows, which the server put in #panel-data after the API allowed the signed-in user to read it.
"use strict";
(() => {
  const PROTOCOL = "infra-ui/1";
  const data = JSON.parse(document.getElementById("panel-data").textContent);
  const frames = [...document.querySelectorAll("iframe[data-panel]")];

  function answer(method, params, panel) {
    switch (method) {
      case "tenant":
        return { result: data.tenant };
      case "usage":
        return data.usage ? { result: data.usage } : { error: { code: "failed", message: data.usageError || "the tenant's usage cannot be read now" } };
      case "resize": {
        const height = Number(params && params.height);
        if (!Number.isFinite(height) || height <= 0) return { error: { code: "invalid", message: "resize: height must be a positive number of CSS pixels" } };
        panel.style.height = `${Math.min(Math.max(Math.round(height), 60), 1200)}px`;
        return { result: null };
      }
      default:
        return { error: { code: "invalid", message: `'${String(method)}' is not an infra-ui/1 method` } };
    }
  }

  for (const panel of frames) {
    const name = panel.dataset.panel;
    const grants = (panel.dataset.grants || "").split(",").filter(Boolean);
    const status = document.getElementById(panel.dataset.status);
    let started = false;
    const post = (message) => panel.contentWindow.postMessage({ protocol: PROTOCOL, ...message }, "*");

    window.addEventListener("message", (event) => {
      // A sandboxed frame's origin is "null": the window, not the origin, says which panel speaks.
      if (event.source !== panel.contentWindow) return;
      const message = event.data;
      if (typeof message !== "object" || message === null || message.protocol !== PROTOCOL) return;
      if (message.type === "ready") {
        started = true;
        status.textContent = "running";
        post({ type: "hello", origin: window.location.origin, grants });
        return;
      }

      if (typeof message.id !== "number") return;
      if (!grants.includes(message.method)) {
        post({ id: message.id, error: { code: "denied", message: `the portal does not grant '${String(message.method)}' to ${name}` } });
        return;
      }

      post({ id: message.id, ...answer(message.method, message.params, panel) });
    });

    panel.addEventListener("load", () => {
      setTimeout(() => {
        if (!started) status.textContent = "refused: its module did not start (a wrong integrity hash or a script error; see the browser console)";
      }, 3000);
    });
  }
})();
