// The support desk console's passkey ceremonies (enrolment and login), through @simplewebauthn/browser.
'use strict';
(function () {
  var FAILED = { ja: 'パスキーによる認証が取り消されたか、失敗しました。もう一度お試しください。', en: 'The passkey request was cancelled or failed. Please try again.' };
  function csrf() {
    var el = document.querySelector('input[name=_csrf]');
    return el ? el.value : '';
  }
  function post(url, body) {
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf() }, body: JSON.stringify(body || {}) })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          if (!res.ok) { var e = new Error((data.error && data.error.message) || ''); e.fromServer = true; throw e; }
          return data;
        });
      });
  }
  function showError(message) {
    var box = document.getElementById('desk-error');
    if (!box) {
      box = document.createElement('p');
      box.id = 'desk-error';
      box.className = 'alert error';
      box.setAttribute('role', 'alert');
      var h1 = document.querySelector('main h1');
      h1.parentNode.insertBefore(box, h1.nextSibling);
    }
    box.textContent = message;
  }
  var actions = {
    login: function () {
      return post('/support/login/options').then(function (r) {
        return window.SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: r.options }).then(function (credential) {
          return post('/support/login/verify', { challengeId: r.challengeId, credential: credential });
        });
      }).then(function (d) { location.assign(d.redirect); });
    },
    enrol: function (button) {
      var token = button.getAttribute('data-token');
      return post('/support/enrol/options', { token: token }).then(function (r) {
        return window.SimpleWebAuthnBrowser.startRegistration({ optionsJSON: r.options }).then(function (credential) {
          return post('/support/enrol/verify', { token: token, challengeId: r.challengeId, credential: credential });
        });
      }).then(function (d) { location.assign(d.redirect); });
    },
  };
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-desk]');
    if (!button) return;
    event.preventDefault();
    var action = actions[button.getAttribute('data-desk')];
    if (!action || !window.SimpleWebAuthnBrowser) return;
    button.disabled = true;
    action(button).catch(function (e) {
      showError(e && e.fromServer && e.message ? e.message : FAILED[document.documentElement.lang] || FAILED.ja);
    }).then(function () { button.disabled = false; });
  });
})();
