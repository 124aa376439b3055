// tcpsim ladder report: maps virtual time to vertical position, draws the time axis and the
// arrow labels, and handles zoom, scroll and the opening of bulk-data bands. The Java side
// wrote every element with its horizontal position and its times (data-t*, in nanoseconds).
(function () {
  'use strict';
  var SVGNS = 'http://www.w3.org/2000/svg';
  var TOP = 22;          // px above the first event
  var BOTTOM = 40;       // px below the last event
  var MIN_GAP = 14;      // px between two distinct event times at zoom 1 (log mode)
  var LOG_PX = 10;       // px per decade of microseconds added to MIN_GAP (log mode)
  var BAND_PX = 64;      // height of a collapsed band at zoom 1
  var TICK_SPACING = 15; // px between axis labels
  var LINE_PX = 12;      // px between the lines of a wrapped arrow label
  var CHAR_PX = 6.4;     // width of a label character at the label's font size
  var ONE_LINE_CHARS = 95; // labels up to this long stay on one line (LadderReport.ONE_LINE_CHARS)

  var svg = document.getElementById('ladder');
  var scroller = document.getElementById('scroller');
  var axis = document.getElementById('axis');
  var axisWidth = +svg.getAttribute('data-axis-width');
  var zoom = 1;
  var mode = 'log';
  var linearPxPerNs = 0;
  var T = [], Y = [];

  function all(sel, root) { return Array.prototype.slice.call((root || svg).querySelectorAll(sel)); }
  function num(el, name) { return +el.getAttribute(name); }
  function el(name, attrs, parent) {
    var e = document.createElementNS(SVGNS, name);
    for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]); }
    if (parent) parent.appendChild(e);
    return e;
  }
  function fmt(ns) {
    var us = Math.floor(ns / 1000), s = Math.floor(us / 1e6), f = String(us % 1e6);
    return s + '.' + '000000'.slice(f.length) + f + 's';
  }

  var lanes = all('[data-kind="lane"] line');
  var bands = all('[data-kind="band"]').map(function (g) {
    return { g: g, t0: num(g, 'data-t0'), t1: num(g, 'data-t1'),
      box: g.querySelector('.band-box'), label: g.querySelector('.band-label') };
  });
  var segs = all('[data-kind="segment"]').map(function (g) {
    var line = g.querySelector('line');
    var band = null;
    for (var p = g.parentNode; p && p !== svg; p = p.parentNode) {
      if (p.getAttribute && p.getAttribute('data-kind') === 'band') { band = p; break; }
    }
    var cross = g.querySelector('[data-kind="drop"]');
    var x1 = num(line, 'x1'), x2 = num(line, 'x2');
    var span = Math.abs(cross ? 2 * (x2 - x1) : x2 - x1);
    return { g: g, t0: num(g, 'data-t0'), t1: num(g, 'data-t1'), line: line, x1: x1, x2: x2, cross: cross,
      band: band, text: null, lines: [], fitChars: Math.max(30, Math.floor((span - 40) / CHAR_PX)) };
  });
  // Several changes of one lane at one instant (SYN_RECV then ESTABLISHED) stack their labels.
  var sameInstant = {};
  var states = all('[data-kind="state"]').map(function (g) {
    var key = g.getAttribute('data-lane') + '@' + g.getAttribute('data-t');
    var nth = sameInstant[key] = (sameInstant[key] === undefined ? 0 : sameInstant[key] + 1);
    return { t: num(g, 'data-t'), circle: g.querySelector('circle'), nth: nth,
      name: g.querySelector('.state-name'), cause: g.querySelector('.state-cause') };
  });
  var timers = all('[data-kind="timer"]').map(function (g) {
    return { t0: num(g, 'data-t0'), t1: num(g, 'data-t1'), rect: g.querySelector('rect'),
      text: g.querySelector('text') };
  });

  function collapsed(band) { return band.getAttribute('data-collapsed') === 'true'; }
  function visible(s) { return !s.band || !collapsed(s.band); }

  // Collapsed bands, merged where their time ranges overlap: no event time inside gets its own row.
  function foldedIntervals() {
    var iv = bands.filter(function (b) { return collapsed(b.g); })
      .map(function (b) { return [b.t0, b.t1]; })
      .sort(function (a, b) { return a[0] - b[0]; });
    var out = [];
    iv.forEach(function (r) {
      var last = out[out.length - 1];
      if (last && r[0] <= last[1]) { last[1] = Math.max(last[1], r[1]); } else { out.push([r[0], r[1]]); }
    });
    return out;
  }

  function insideFold(folds, t) {
    var lo = 0, hi = folds.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (t <= folds[mid][0]) { hi = mid - 1; } else if (t >= folds[mid][1]) { lo = mid + 1; } else { return true; }
    }
    return false;
  }

  function gap(dt, folded) {
    if (folded) { return Math.max(BAND_PX * zoom, mode === 'linear' ? dt * linearPxPerNs * zoom : 0); }
    if (mode === 'linear') { return dt * linearPxPerNs * zoom; }
    return zoom * (MIN_GAP + LOG_PX * Math.log(1 + dt / 1000) / Math.LN10);
  }

  // The anchors: every distinct time of something visible, each given a row; times in between interpolate.
  function buildAnchors() {
    var folds = foldedIntervals();
    var times = [];
    segs.forEach(function (s) { if (visible(s)) { times.push(s.t0, s.t1); } });
    states.forEach(function (s) { times.push(s.t); });
    timers.forEach(function (t) { times.push(t.t0, t.t1); });
    folds.forEach(function (f) { times.push(f[0], f[1]); });
    times = times.filter(function (t) { return !insideFold(folds, t); });
    times.sort(function (a, b) { return a - b; });
    T = [];
    times.forEach(function (t) { if (T.length === 0 || T[T.length - 1] !== t) { T.push(t); } });
    if (T.length === 0) { T.push(0); }
    var foldEnd = {};
    folds.forEach(function (f) { foldEnd[f[0]] = f[1]; });
    if (!linearPxPerNs) {
      var gaps = [];
      for (var i = 1; i < T.length; i++) { gaps.push(T[i] - T[i - 1]); }
      gaps.sort(function (a, b) { return a - b; });
      var median = gaps.length ? gaps[gaps.length >> 1] : 1e6;
      linearPxPerNs = 40 / Math.max(median, 1);
    }
    Y = [TOP];
    for (var j = 1; j < T.length; j++) {
      var folded = foldEnd[T[j - 1]] === T[j];
      Y.push(Y[j - 1] + gap(T[j] - T[j - 1], folded));
    }
  }

  function yOf(t) {
    var lo = 0, hi = T.length - 1;
    if (t <= T[0]) { return Y[0]; }
    if (t >= T[hi]) { return Y[hi]; }
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (T[mid] <= t) { lo = mid; } else { hi = mid; }
    }
    return Y[lo] + (t - T[lo]) / (T[hi] - T[lo]) * (Y[hi] - Y[lo]);
  }

  function tOf(y) {
    var lo = 0, hi = Y.length - 1;
    if (y <= Y[0]) { return T[0]; }
    if (y >= Y[hi]) { return T[hi]; }
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (Y[mid] <= y) { lo = mid; } else { hi = mid; }
    }
    return Y[hi] === Y[lo] ? T[lo] : T[lo] + (y - Y[lo]) / (Y[hi] - Y[lo]) * (T[hi] - T[lo]);
  }

  function r1(v) { return Math.round(v * 10) / 10; }

  // Splits a label after ", " into at most two lines of about `fit` characters; the lines
  // joined give the label back unchanged.
  function wrap(label, fit) {
    if (label.length <= fit) { return [label]; }
    var cut = -1;
    for (var at = label.indexOf(', '); at >= 0 && at + 2 <= fit; at = label.indexOf(', ', at + 2)) { cut = at + 2; }
    if (cut < 0) { cut = label.indexOf(', ') + 2; }
    if (cut < 2) { return [label]; }
    return [label.slice(0, cut), label.slice(cut)];
  }

  function placeSegment(s) {
    var y1 = yOf(s.t0), y2 = yOf(s.t1);
    if (s.cross && y2 - y1 < 8) { y2 = y1 + 8; }
    s.line.setAttribute('y1', r1(y1));
    s.line.setAttribute('y2', r1(y2));
    if (s.cross) { s.cross.setAttribute('transform', 'translate(' + s.x2 + ',' + r1(y2) + ')'); }
    if (!s.text) {
      var label = s.g.getAttribute('data-label');
      if (s.g.getAttribute('data-duplicate') === 'true') { label += '  [dup]'; }
      if (s.g.getAttribute('data-reordered') === 'true') { label += '  [reordered]'; }
      if (s.cross) { label += '  \u2717 ' + s.g.getAttribute('data-reason'); }
      s.text = el('text', {}, s.g);
      // Only labels too long for one line (over ONE_LINE_CHARS, as the lane spacing assumed) wrap.
      var raw = s.g.getAttribute('data-label');
      s.lines = (raw.length > Math.max(s.fitChars, ONE_LINE_CHARS) ? wrap(label, s.fitChars) : [label]).map(function (line) {
        var span = el('tspan', {}, s.text);
        span.textContent = line;
        return span;
      });
      var title = el('title', {}, s.g);
      title.textContent = s.g.getAttribute('data-label') + '\n' + s.g.getAttribute('data-from') + ' \u2192 '
        + s.g.getAttribute('data-to') + ', sent ' + fmt(s.t0) + (s.cross ? ', lost ' : ', arrived ') + fmt(s.t1);
    }
    var angle = Math.atan2(y2 - y1, s.x2 - s.x1) * 180 / Math.PI;
    var rightwards = s.x2 >= s.x1;
    if (angle > 90) { angle -= 180; } else if (angle < -90) { angle += 180; }
    var cx, cy;
    if (s.cross) {
      // A lost segment's line stops at the link; its label starts at the sender and runs on past the cross.
      var len = Math.sqrt((s.x2 - s.x1) * (s.x2 - s.x1) + (y2 - y1) * (y2 - y1)) || 1;
      cx = s.x1 + (s.x2 - s.x1) * 14 / len;
      cy = y1 + (y2 - y1) * 14 / len;
      s.text.style.textAnchor = rightwards ? 'start' : 'end';
    } else {
      cx = (s.x1 + s.x2) / 2;
      cy = (y1 + y2) / 2;
    }
    s.text.setAttribute('x', r1(cx));
    // The last line sits just above the arrow (higher for a lost one, clear of its cross).
    s.text.setAttribute('y', r1(cy - (s.cross ? 9 : 5) - (s.lines.length - 1) * LINE_PX));
    for (var i = 0; i < s.lines.length; i++) {
      s.lines[i].setAttribute('x', r1(cx));
      if (i > 0) { s.lines[i].setAttribute('dy', LINE_PX); }
    }
    s.text.setAttribute('transform', 'rotate(' + r1(angle) + ' ' + r1(cx) + ' ' + r1(cy) + ')');
  }

  function duration(ns) {
    if (ns >= 10e9) { return Math.round(ns / 1e9) + 's'; }
    if (ns >= 1e6) { return (ns >= 100e6 ? Math.floor(ns / 1e6) : Math.floor(ns / 1e5) / 10) + 'ms'; }
    if (ns >= 1e3) { return Math.floor(ns / 1e3) + 'us'; }
    return ns + 'ns';
  }

  function drawAxis(height) {
    while (axis.firstChild) { axis.removeChild(axis.firstChild); }
    var last = -1e9;
    if (mode === 'log') {
      // Long quiet stretches are squeezed in log mode; say how long each was.
      for (var g = 1; g < T.length; g++) {
        if (T[g] - T[g - 1] >= 100e6 && Y[g] - Y[g - 1] >= 40) {
          var mark = el('text', { 'class': 'gap', x: axisWidth - 9, y: r1((Y[g] + Y[g - 1]) / 2 + 3) }, axis);
          mark.textContent = '\u22ee +' + duration(T[g] - T[g - 1]);
        }
      }
    }
    for (var i = 0; i < T.length; i++) {
      if (Y[i] - last < TICK_SPACING && i !== 0) { continue; }
      last = Y[i];
      el('line', { x1: axisWidth - 6, x2: axisWidth, y1: r1(Y[i]), y2: r1(Y[i]) }, axis);
      var label = el('text', { x: axisWidth - 9, y: r1(Y[i] + 3.5) }, axis);
      label.textContent = fmt(T[i]);
    }
    el('line', { x1: axisWidth, x2: axisWidth, y1: 0, y2: height }, axis);
  }

  function layout() {
    buildAnchors();
    var height = Math.ceil(Y[Y.length - 1] + BOTTOM);
    svg.setAttribute('height', height);
    lanes.forEach(function (l) { l.setAttribute('y1', 0); l.setAttribute('y2', height); });
    drawAxis(height);
    bands.forEach(function (b) {
      var y0 = yOf(b.t0), y1 = Math.max(yOf(b.t1), y0 + 4);
      b.box.setAttribute('y', r1(y0));
      b.box.setAttribute('height', r1(y1 - y0));
      var open = !collapsed(b.g);
      b.label.setAttribute('y', r1(open ? y0 - 3 : (y0 + y1) / 2 + 4));
      var text = b.label.textContent.replace(/^[\u25b8\u25be] /, '');
      b.label.textContent = (open ? '\u25be ' : '\u25b8 ') + text;
    });
    segs.forEach(function (s) { if (visible(s)) { placeSegment(s); } });
    states.forEach(function (s) {
      var y = yOf(s.t);
      s.circle.setAttribute('cy', r1(y));
      s.name.setAttribute('y', r1(y + 4 + s.nth * 24));
      s.cause.setAttribute('y', r1(y + 15 + s.nth * 24));
    });
    timers.forEach(function (t) {
      var y0 = yOf(t.t0), h = Math.max(yOf(t.t1) - y0, 2);
      t.rect.setAttribute('y', r1(y0));
      t.rect.setAttribute('height', r1(h));
      var x = num(t.text, 'x'), cy = y0 + h / 2;
      t.text.setAttribute('y', r1(cy));
      t.text.setAttribute('transform', 'rotate(-90 ' + x + ' ' + r1(cy) + ')');
      t.text.style.display = h > t.text.textContent.length * 5.6 + 6 ? '' : 'none';
    });
    document.getElementById('zoom-level').textContent = Math.round(zoom * 100) + '%';
    svg.setAttribute('data-laid-out', 'true');
  }

  // Keeps the time at viewport offset `offset` where it was while the layout changes.
  function relayoutKeeping(offset) {
    var t = tOf(scroller.scrollTop + offset - lanesHeadHeight());
    layout();
    scroller.scrollTop = yOf(t) - offset + lanesHeadHeight();
  }
  function lanesHeadHeight() { return document.getElementById('lanehead').getBoundingClientRect().height; }

  function setZoom(z, offset) {
    zoom = Math.min(40, Math.max(0.05, z));
    relayoutKeeping(offset === undefined ? scroller.clientHeight / 2 : offset);
  }

  function toggleBand(g, open) {
    g.setAttribute('data-collapsed', open ? 'false' : 'true');
  }

  document.getElementById('zoom-in').addEventListener('click', function () { setZoom(zoom * 1.25); });
  document.getElementById('zoom-out').addEventListener('click', function () { setZoom(zoom / 1.25); });
  document.getElementById('zoom-reset').addEventListener('click', function () { setZoom(1); });
  document.getElementById('axis-mode').addEventListener('change', function (e) {
    mode = e.target.value;
    relayoutKeeping(scroller.clientHeight / 2);
  });
  document.getElementById('expand-all').addEventListener('click', function () {
    bands.forEach(function (b) { toggleBand(b.g, true); });
    relayoutKeeping(scroller.clientHeight / 2);
  });
  document.getElementById('collapse-all').addEventListener('click', function () {
    bands.forEach(function (b) { toggleBand(b.g, false); });
    relayoutKeeping(scroller.clientHeight / 2);
  });
  svg.addEventListener('click', function (e) {
    var target = e.target;
    if (!target.classList || !(target.classList.contains('band-box') || target.classList.contains('band-label'))) { return; }
    var g = target.parentNode;
    var offset = e.clientY - scroller.getBoundingClientRect().top;
    toggleBand(g, collapsed(g));
    relayoutKeeping(offset);
  });
  scroller.addEventListener('wheel', function (e) {
    if (!e.ctrlKey && !e.metaKey) { return; }
    e.preventDefault();
    setZoom(e.deltaY < 0 ? zoom * 1.15 : zoom / 1.15, e.clientY - scroller.getBoundingClientRect().top);
  }, { passive: false });
  document.addEventListener('keydown', function (e) {
    if (e.target && e.target.tagName === 'SELECT') { return; }
    if (e.key === '+' || e.key === '=') { setZoom(zoom * 1.25); }
    else if (e.key === '-') { setZoom(zoom / 1.25); }
    else if (e.key === '0') { setZoom(1); }
  });

  // A view can be asked for in the address: report.html#zoom=2&mode=linear&expand=all
  function readFragment() {
    (location.hash || '').replace(/^#/, '').split('&').forEach(function (kv) {
      var p = kv.split('=');
      if (p[0] === 'zoom' && +p[1] > 0) { zoom = Math.min(40, Math.max(0.05, +p[1])); }
      else if (p[0] === 'mode' && (p[1] === 'linear' || p[1] === 'log')) {
        mode = p[1];
        document.getElementById('axis-mode').value = mode;
      } else if (p[0] === 'expand' && p[1] === 'all') { bands.forEach(function (b) { toggleBand(b.g, true); }); }
    });
  }

  readFragment();
  layout();
})();
