(function () {
  var count = 0;
  function record(message) {
    count += 1;
    document.body.setAttribute('data-js-errors', String(count));
    var seen = document.body.getAttribute('data-js-error-messages') || '';
    document.body.setAttribute('data-js-error-messages', seen + String(message).slice(0, 200) + ' | ');
  }
  window.addEventListener('error', function (e) { record(e.message || 'error'); });
  window.addEventListener('unhandledrejection', function (e) { record(e.reason || 'unhandled rejection'); });
})();
