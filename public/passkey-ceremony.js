// What the customers' passkey script (passkeys.js) and the desk's (desk.js) share: the JSON calls
// with the CSRF header, the WebAuthn ceremonies through @simplewebauthn/browser (options as the
// server sent them, answers as the server reads them), the error box, and the buttons' dispatch.
'use strict';
(function () {
  var CANCELLED = { ja: 'パスキーによる認証が取り消されたか、失敗しました。もう一度お試しください。', en: 'The passkey request was cancelled or failed. Please try again.' };
  var cancelled = CANCELLED[document.documentElement.lang] || CANCELLED.ja;

  function csrf() {
    var el = document.querySelector('input[name=_csrf]');
    return el ? el.value : '';
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf() },
      body: JSON.stringify(body || {}),
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) {
          var err = new Error((data.error && data.error.message) || cancelled);
          err.fromServer = true;
          throw err;
        }
        return data;
      });
    });
  }

  function showError(boxId, message) {
    var box = document.getElementById(boxId);
    if (!box) {
      box = document.createElement('p');
      box.id = boxId;
      box.className = 'alert error';
      box.setAttribute('role', 'alert');
      var h1 = document.querySelector('main h1');
      h1.parentNode.insertBefore(box, h1.nextSibling);
    }
    box.textContent = message;
  }

  /** Options from `url`, the authenticator's assertion: { challengeId, credential }. */
  function authenticate(url, body) {
    return post(url, body).then(function (r) {
      return window.SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: r.options }).then(function (credential) {
        return { challengeId: r.challengeId, credential: credential };
      });
    });
  }

  /** Options from `url`, a new credential: { challengeId, credential }. */
  function register(url, body) {
    return post(url, body).then(function (r) {
      return window.SimpleWebAuthnBrowser.startRegistration({ optionsJSON: r.options }).then(function (credential) {
        return { challengeId: r.challengeId, credential: credential };
      });
    });
  }

  /** Clicks on `[data-<attribute>]` run actions[value](button); a failure goes into the box `errorBoxId`. */
  function bind(attribute, actions, errorBoxId, unsupported) {
    document.addEventListener('click', function (event) {
      var button = event.target.closest && event.target.closest('[data-' + attribute + ']');
      if (!button) return;
      event.preventDefault();
      if (!window.PublicKeyCredential || !window.SimpleWebAuthnBrowser) return unsupported && showError(errorBoxId, unsupported);
      var action = actions[button.getAttribute('data-' + attribute)];
      if (!action) return;
      button.disabled = true;
      action(button).catch(function (e) {
        showError(errorBoxId, e && e.fromServer && e.message ? e.message : cancelled);
      }).then(function () { button.disabled = false; });
    });
  }

  window.MamoriPasskeys = { post: post, authenticate: authenticate, register: register, bind: bind };
})();
