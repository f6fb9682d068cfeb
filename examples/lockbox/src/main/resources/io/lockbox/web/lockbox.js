// Lockbox status page: asks /health every 5 seconds so that someone watching an upgrade sees the
// state change without reloading. When the node answers with another release than the page shows,
// the page reloads: it is served with "no-cache", so the new page arrives and names the new
// release's stylesheet, and no browser cache has to be cleared.
(function () {
  'use strict';
  var REFRESH_MILLIS = 5000;
  var state = document.getElementById('state');
  var version = document.getElementById('version');
  if (!state || !version) {
    return;
  }

  function show(text, kind) {
    state.textContent = text;
    state.className = 'state-' + kind;
  }

  function refresh() {
    fetch('/health', { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.json();
      })
      .then(function (health) {
        if (health.version !== version.textContent) {
          window.location.reload();
          return;
        }
        if (health.state === 'read-only') {
          show('read-only (maintenance: an upgrade is under way)', 'read-only');
        } else {
          show('serving', 'serving');
        }
      })
      .catch(function () {
        show('not answering', 'unreachable');
      });
  }

  window.setInterval(refresh, REFRESH_MILLIS);
}());
