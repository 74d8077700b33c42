// The support desk console's passkey ceremonies (enrolment and login), on public/passkey-ceremony.js.
'use strict';
(function () {
  var P = window.MamoriPasskeys;
  P.bind('desk', {
    login: function () {
      return P.authenticate('/support/login/options').then(function (a) { return P.post('/support/login/verify', a); }).then(function (d) { location.assign(d.redirect); });
    },
    enrol: function (button) {
      var token = button.getAttribute('data-token');
      return P.register('/support/enrol/options', { token: token }).then(function (a) {
        return P.post('/support/enrol/verify', { token: token, challengeId: a.challengeId, credential: a.credential });
      }).then(function (d) { location.assign(d.redirect); });
    },
  }, 'desk-error', null);
})();
