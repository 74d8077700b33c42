// The customers' passkey ceremonies (login, second factor, password reset, step-up, registration), on public/passkey-ceremony.js.
'use strict';
(function () {
  var UNSUPPORTED = { ja: 'このブラウザはパスキーに対応していません。', en: 'This browser does not support passkeys.' };
  var P = window.MamoriPasskeys;
  var post = P.post;
  var authenticate = P.authenticate;

  P.bind('passkey', {
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
      return P.register('/account/passkeys/register/options', { tradingPassword: tradingPassword, confirmationCode: confirmationCode }).then(function (a) {
        return post('/account/passkeys/register/verify', { challengeId: a.challengeId, credential: a.credential, name: name });
      }).then(function () { location.assign('/account/passkeys?added=1'); });
    },
  }, 'passkey-error', UNSUPPORTED[document.documentElement.lang] || UNSUPPORTED.ja);
})();
