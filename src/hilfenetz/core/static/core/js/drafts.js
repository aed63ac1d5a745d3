// Drafts: what a person types into a form with a text area is kept in this browser until the
// server confirms it was saved, so an error page (503 while the database is away, 500) or a
// lost connection does not lose it. Progressive enhancement: without this file forms work.
//
// Key: the page's path and the form's id (or its action). On submit the draft is marked as
// sent; the server confirms a saved form by redirecting with the cookie "hilfenetz_saved"
// holding the path the form was sent to (core/middleware.py), and htmx by a successful answer.
// Only then is the draft removed. A form opts out with data-draft="off"; submitting a form with
// data-draft-clear (logging out) removes every draft.
(() => {
  "use strict";
  const PREFIX = "hilfenetz-draft:";
  const CONFIRMATION_COOKIE = "hilfenetz_saved";
  const MAX_AGE_MS = 7 * 24 * 3600 * 1000;
  const TEXT_INPUTS = new Set(["text", "search", "number", "date", "url"]);

  let store;
  try {
    store = window.localStorage;
    store.setItem(PREFIX + "probe", "1");
    store.removeItem(PREFIX + "probe");
  } catch {
    return; // storage off (private mode, policy): nothing to keep
  }

  const tracked = (form) =>
    form instanceof HTMLFormElement &&
    form.dataset.draft !== "off" &&
    form.querySelector("textarea") !== null;
  const keyOf = (form) =>
    PREFIX + location.pathname + "#" + (form.id || form.getAttribute("action") || "form");
  const actionPath = (form) => new URL(form.action || location.href, location.href).pathname;
  const fields = (form) =>
    Array.from(form.elements).filter(
      (el) =>
        el.name &&
        !el.disabled &&
        (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && TEXT_INPUTS.has(el.type))),
    );
  const read = (key) => {
    try {
      return JSON.parse(store.getItem(key));
    } catch {
      return null;
    }
  };

  function save(form, submitted) {
    const values = {};
    let typed = false;
    for (const el of fields(form)) {
      values[el.name] = el.value;
      if (el.tagName === "TEXTAREA" && el.value.trim()) typed = true;
    }
    const key = keyOf(form);
    if (!typed) {
      store.removeItem(key);
      return;
    }
    const record = { action: actionPath(form), values, saved: Date.now(), submitted };
    try {
      store.setItem(key, JSON.stringify(record));
    } catch {
      // storage full: the form still works, only without a draft
    }
  }

  function announce() {
    const note = document.getElementById("draft-note");
    if (!note || note.firstChild) return;
    const message = document.createElement("p");
    message.className = "message";
    message.textContent = note.dataset.message;
    note.append(message);
  }

  function restore(root) {
    let restored = false;
    const forms = root instanceof HTMLFormElement ? [root] : root.querySelectorAll("form");
    for (const form of forms) {
      if (!tracked(form)) continue;
      const record = read(keyOf(form));
      if (!record || !record.values) continue;
      for (const el of fields(form)) {
        const value = record.values[el.name];
        if (typeof value === "string" && value !== el.value) {
          el.value = value;
          restored = true;
        }
      }
    }
    if (restored) announce();
  }

  function confirmedPath() {
    const prefix = CONFIRMATION_COOKIE + "=";
    const cookie = document.cookie.split("; ").find((c) => c.startsWith(prefix));
    if (!cookie) return null;
    document.cookie = `${CONFIRMATION_COOKIE}=; Max-Age=0; Path=/; SameSite=Lax`;
    try {
      return decodeURIComponent(cookie.slice(prefix.length).replace(/^"|"$/g, ""));
    } catch {
      return null;
    }
  }

  function forget() {
    const confirmed = confirmedPath();
    for (let i = store.length - 1; i >= 0; i--) {
      const key = store.key(i);
      if (!key || !key.startsWith(PREFIX)) continue;
      const record = read(key);
      const stale = !record || Date.now() - record.saved > MAX_AGE_MS;
      if (stale || (record.submitted && record.action === confirmed)) store.removeItem(key);
    }
  }

  document.addEventListener("input", (event) => {
    const form = event.target.form;
    if (tracked(form)) save(form, false);
  });
  document.addEventListener("submit", (event) => {
    if (tracked(event.target)) save(event.target, true);
    // logging out (on a shared computer, say) leaves no drafts behind
    if (event.target.hasAttribute("data-draft-clear")) {
      for (let i = store.length - 1; i >= 0; i--) {
        const key = store.key(i);
        if (key && key.startsWith(PREFIX)) store.removeItem(key);
      }
    }
  });
  // htmx: a successful answer is the server's confirmation; new content may hold forms.
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt.closest("form");
    if (event.detail.successful && tracked(form)) store.removeItem(keyOf(form));
  });
  document.addEventListener("htmx:load", (event) => restore(event.detail.elt));

  const start = () => {
    forget();
    restore(document);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
