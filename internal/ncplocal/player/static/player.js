// ncplocal player: plays the selected video's HLS master playlist with
// hls.js (served by ncplocal, never from a CDN) and offers every rendition
// of the stream plus "Auto" (hls.js's bandwidth-based choice).
(function () {
  'use strict';
  var state = window.playerState = { ready: false, levels: [], errors: [], currentLevel: -1, autoLevel: true };
  var video = document.getElementById('video');
  if (!video) return;
  var select = document.getElementById('quality');
  var current = document.getElementById('current-level');
  var src = video.getAttribute('data-src');

  function fail(msg) {
    state.errors.push(msg);
    var box = document.getElementById('player-error');
    box.textContent = msg;
    box.hidden = false;
  }
  function label(level) {
    var parts = [];
    if (level.height) parts.push(level.height + 'p');
    parts.push(Math.round(level.bitrate / 1000) + ' kbps');
    return parts.join(' · ');
  }
  video.addEventListener('error', function () {
    var e = video.error;
    fail('video error ' + (e ? e.code + ': ' + e.message : ''));
  });

  if (typeof Hls === 'undefined') {
    fail('hls.js did not load');
    return;
  }
  if (!Hls.isSupported()) {
    if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = src; // native HLS (Safari); the browser chooses the quality
      select.disabled = true;
      state.ready = true;
      return;
    }
    fail('this browser supports neither Media Source Extensions nor native HLS');
    return;
  }
  var hls = new Hls({ capLevelToPlayerSize: false });
  window.hls = hls;
  hls.on(Hls.Events.MANIFEST_PARSED, function (_, data) {
    state.levels = data.levels.map(function (l, i) {
      return { index: i, width: l.width, height: l.height, bitrate: l.bitrate, label: label(l) };
    });
    var order = state.levels.slice().sort(function (a, b) { return b.height - a.height || b.bitrate - a.bitrate; });
    order.forEach(function (l) {
      var o = document.createElement('option');
      o.value = String(l.index);
      o.textContent = l.label;
      select.appendChild(o);
    });
    state.ready = true;
  });
  function showCurrent() {
    var l = state.levels[state.currentLevel];
    current.textContent = l ? 'playing ' + l.label + (hls.autoLevelEnabled ? ' (auto)' : '') : '';
  }
  hls.on(Hls.Events.LEVEL_SWITCHED, function (_, data) {
    state.currentLevel = data.level;
    showCurrent();
  });
  hls.on(Hls.Events.ERROR, function (_, data) {
    if (data.fatal) fail('hls.js ' + data.type + ': ' + data.details);
  });
  select.addEventListener('change', function () {
    var v = parseInt(select.value, 10);
    hls.currentLevel = v; // -1: automatic by bandwidth
    state.autoLevel = v === -1;
    showCurrent();
  });
  hls.loadSource(src);
  hls.attachMedia(video);
})();
