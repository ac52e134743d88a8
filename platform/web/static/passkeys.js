// Passkeys (WebAuthn): make one on the account's security page, sign in with one at the second step. The server
// gives the options and checks the answers (konsey.core.second_factors); this file only carries them between the
// page and the browser's authenticator, turning the binary fields to and from base64url.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) { return; }

  function toBase64url(buffer) {
    let text = "";
    new Uint8Array(buffer).forEach(function (byte) { text += String.fromCharCode(byte); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function fromBase64url(text) {
    const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    return Uint8Array.from(atob(padded), function (c) { return c.charCodeAt(0); });
  }
  function csrfToken() {
    const field = document.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }
  async function post(url, body) {
    const answer = await fetch(url, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()}, body: JSON.stringify(body || {})});
    return [answer.status, await answer.json()];
  }
  function asJSON(credential) {
    const response = credential.response;
    const json = {id: credential.id, rawId: toBase64url(credential.rawId), type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(), response: {
        clientDataJSON: toBase64url(response.clientDataJSON)}};
    if (response.attestationObject) {
      json.response.attestationObject = toBase64url(response.attestationObject);
      json.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toBase64url(response.authenticatorData);
      json.response.signature = toBase64url(response.signature);
      json.response.userHandle = response.userHandle ? toBase64url(response.userHandle) : null;
    }
    return json;
  }
  function say(element, text) {
    const status = element.closest("[data-passkeys]").querySelector("[data-passkey-status]");
    if (status) { status.textContent = text; }
  }
  function firstError(answer) {
    const errors = answer.errors || {};
    const messages = Object.values(errors)[0];
    return Array.isArray(messages) ? messages[0] : (messages || "");
  }

  document.querySelectorAll("[data-passkeys]").forEach(function (section) { section.hidden = false; });

  document.querySelectorAll("[data-passkey-add]").forEach(function (button) {
    button.addEventListener("click", async function () {
      const name = document.getElementById("passkey-name").value.trim();
      try {
        const [, options] = await post(button.dataset.optionsUrl);
        options.challenge = fromBase64url(options.challenge);
        options.user.id = fromBase64url(options.user.id);
        (options.excludeCredentials || []).forEach(function (key) { key.id = fromBase64url(key.id); });
        const credential = await navigator.credentials.create({publicKey: options});
        const [status, answer] = await post(button.dataset.url, {credential: asJSON(credential), name: name});
        if (status !== 200) { say(button, firstError(answer)); return; }
        if (answer.recovery_codes.length) {
          const list = document.querySelector("[data-passkey-codes]");
          answer.recovery_codes.forEach(function (code) {
            const item = document.createElement("li");
            const text = document.createElement("code");
            text.textContent = code;
            item.appendChild(text);
            list.appendChild(item);
          });
          list.closest("section").hidden = false;
          say(button, button.dataset.done);
          return;
        }
        window.location.assign(answer.next);
      } catch (error) {
        say(button, button.dataset.failed);
      }
    });
  });

  document.querySelectorAll("[data-passkey-sign-in]").forEach(function (button) {
    button.addEventListener("click", async function () {
      try {
        const [status, options] = await post(button.dataset.optionsUrl);
        if (status !== 200) { window.location.assign(options.next); return; }
        options.challenge = fromBase64url(options.challenge);
        (options.allowCredentials || []).forEach(function (key) { key.id = fromBase64url(key.id); });
        const credential = await navigator.credentials.get({publicKey: options});
        const [answered, answer] = await post(button.dataset.url, asJSON(credential));
        if (answered === 200 || answered === 409) { window.location.assign(answer.next); return; }
        say(button, firstError(answer));
      } catch (error) {
        say(button, button.dataset.failed);
      }
    });
  });
})();
