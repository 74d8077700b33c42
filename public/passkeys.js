// Passkey ceremonies in the browser, through @simplewebauthn/browser (served as /static/webauthn.js).
'use strict';
(function () {
  var MESSAGES = {
    ja: { cancelled: 'パスキーによる認証が取り消されたか、失敗しました。もう一度お試しください。', unsupported: 'このブラウザはパスキーに対応していません。' },
    en: { cancelled: 'The passkey request was cancelled or failed. Please try again.', unsupported: 'This browser does not support passkeys.' },
  };
  var text = MESSAGES[document.documentElement.lang] || MESSAGES.ja;

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
          var err = new Error((data.error && data.error.message) || text.cancelled);
          err.fromServer = true;
          throw err;
        }
        return data;
      });
    });
  }

  function showError(message) {
    var box = document.getElementById('passkey-error');
    if (!box) {
      box = document.createElement('p');
      box.id = 'passkey-error';
      box.className = 'alert error';
      box.setAttribute('role', 'alert');
      var main = document.querySelector('main h1');
      main.parentNode.insertBefore(box, main.nextSibling);
    }
    box.textContent = message;
  }

  function authenticate(url, body) {
    return post(url, body).then(function (r) {
      return window.SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: r.options }).then(function (credential) {
        return { challengeId: r.challengeId, credential: credential };
      });
    });
  }

  var actions = {
    login: function () {
      return authenticate('/login/passkey/options').then(function (a) { return post('/login/passkey/verify', a); }).then(function (d) { location.assign(d.redirect); });
    },
    'second-factor': function () {
      return authenticate('/login/passkey/second-factor/options').then(function (a) { return post('/login/passkey/verify', a); }).then(function (d) { location.assign(d.redirect); });
    },
    'password-reset': function () {
      return authenticate('/login/forgot-password/passkey/options').then(function (a) { return post('/login/forgot-password/passkey/verify', a); }).then(function (d) { location.assign(d.redirect); });
    },
    'step-up': function () {
      return authenticate('/api/v1/step-up/options').then(function (a) { return post('/api/v1/step-up/verify', a); }).then(function () { location.reload(); });
    },
    // /step-up: the grant the trading service asked for, then back to its page (checked by the server).
    'step-up-grant': function (button) {
      var request = { purpose: button.getAttribute('data-purpose'), intent: button.getAttribute('data-intent') };
      return authenticate('/api/v1/step-up/options', request).then(function (a) {
        return post('/api/v1/step-up/verify', { challengeId: a.challengeId, credential: a.credential, purpose: request.purpose, intent: request.intent });
      }).then(function () { location.assign(button.getAttribute('data-return-to')); });
    },
    register: function (button) {
      var form = button.closest('form');
      var tradingPassword = form.querySelector('[name=tradingPassword]').value;
      var confirmationCode = form.querySelector('[name=confirmationCode]').value;
      var name = form.querySelector('[name=name]').value;
      return post('/account/passkeys/register/options', { tradingPassword: tradingPassword, confirmationCode: confirmationCode }).then(function (r) {
        return window.SimpleWebAuthnBrowser.startRegistration({ optionsJSON: r.options }).then(function (credential) {
          return post('/account/passkeys/register/verify', { challengeId: r.challengeId, credential: credential, name: name });
        });
      }).then(function () { location.assign('/account/passkeys?added=1'); });
    },
  };

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-passkey]');
    if (!button) return;
    event.preventDefault();
    if (!window.PublicKeyCredential || !window.SimpleWebAuthnBrowser) return showError(text.unsupported);
    var action = actions[button.getAttribute('data-passkey')];
    if (!action) return;
    button.disabled = true;
    action(button).catch(function (e) {
      showError(e && e.fromServer ? e.message : text.cancelled);
    }).then(function () { button.disabled = false; });
  });
})();
