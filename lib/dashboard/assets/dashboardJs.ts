// The dashboard's only script, served as a file from the mount (CSP: script-src 'self').
// Progressive: every page works without it; it adds select-all for bulk actions,
// submits filter selects on change, keeps relative times fresh, and shows exact times in
// the viewer's time zone (the UTC time stays in the tooltip).
export const DASHBOARD_JS = `'use strict';
(function () {
  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }
  function syncBulk() {
    var boxes = document.querySelectorAll('input[data-row]');
    var checked = document.querySelectorAll('input[data-row]:checked').length;
    each('[data-bulk]', function (button) { button.disabled = checked === 0; });
    each('input[data-select-all]', function (all) {
      all.checked = checked > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    });
    each('[data-selected-count]', function (el) { el.textContent = checked ? checked + ' selected' : ''; });
  }
  document.addEventListener('change', function (event) {
    var target = event.target;
    if (target.matches('input[data-select-all]')) {
      each('input[data-row]', function (box) { box.checked = target.checked; });
    }
    if (target.matches('input[data-row], input[data-select-all]')) syncBulk();
    if (target.matches('select[data-autosubmit]') && target.form) target.form.submit();
  });
  function refreshTimes() {
    var now = Date.now();
    each('time[data-relative]', function (el) {
      var ms = now - Date.parse(el.getAttribute('datetime'));
      if (!isFinite(ms)) return;
      var a = Math.abs(ms), text;
      if (a < 10000) text = 'just now';
      else {
        var units = [[60000, 1000, 's'], [3600000, 60000, 'min'], [86400000, 3600000, 'h'], [2592000000, 86400000, 'd'], [31536000000, 2592000000, 'mo'], [Infinity, 31536000000, 'y']];
        for (var i = 0; i < units.length; i++) if (a < units[i][0]) { var n = Math.floor(a / units[i][1]); text = ms >= 0 ? n + ' ' + units[i][2] + ' ago' : 'in ' + n + ' ' + units[i][2]; break; }
      }
      el.textContent = text;
    });
  }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function localTimes() {
    each('time[data-local]', function (el) {
      var d = new Date(el.getAttribute('datetime'));
      if (isNaN(d.getTime())) return;
      var zone = '';
      try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { zone = ''; }
      el.textContent = d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + (zone ? ' ' + zone : '');
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.documentElement.classList.add('js');
    localTimes();
    syncBulk();
    setInterval(refreshTimes, 30000);
  });
})();
`;
