/**
 * The charts' values on hover and focus (ResponseChart.astro), one small script per page. Each plot
 * becomes one tab stop; the arrow keys (by direction on screen, so in a right-to-left page
 * ArrowLeft goes towards today), Home, End and the pointer move a marker to a point, and a tooltip
 * says its date and values; for screen readers the same words go to the chart's live region while
 * the plot has focus. The words are the points' own <title>s, which are the native tooltips without
 * JavaScript (moved into data attributes on first use, so the browser does not show both). No Intl
 * in the browser: the build wrote every word.
 */
export const chartScript = `(function () {
  document.querySelectorAll('[data-plot]').forEach(function (p) {
    p.tabIndex = 0;
    p.setAttribute('aria-describedby', p.closest('figure').id + '-hint');
  });
  function points(p) {
    if (!p.pts) p.pts = [].map.call(p.querySelectorAll('rect[data-x]'), function (r) {
      var t = r.querySelector('title');
      if (t) { r.dataset.t = t.textContent; t.remove(); }
      return { x: +r.dataset.x, a: r.dataset.a, b: r.dataset.b, t: r.dataset.t };
    });
    return p.pts;
  }
  function show(p, i) {
    var list = points(p);
    if (!list.length) return;
    i = Math.max(0, Math.min(list.length - 1, i));
    p.at = i;
    var d = list[i], m = p.querySelector('.chart-mark'), tip = p.querySelector('.chart-tip');
    if (!m) {
      m = document.createElement('div');
      m.className = 'chart-mark';
      m.setAttribute('aria-hidden', 'true');
      m.innerHTML = '<i></i><i></i>';
      p.appendChild(m);
    }
    m.hidden = false;
    m.style.insetInlineStart = d.x + '%';
    [d.a, d.b].forEach(function (y, k) {
      m.children[k].hidden = y === undefined;
      if (y !== undefined) m.children[k].style.top = y + '%';
    });
    tip.textContent = d.t;
    tip.hidden = false;
    tip.style.insetInlineStart = d.x + '%';
    tip.dataset.align = d.x < 25 ? 'start' : d.x > 75 ? 'end' : 'centre';
    if (document.activeElement === p) p.closest('figure').querySelector('[data-live]').textContent = d.t;
  }
  function hide(p) {
    var m = p.querySelector('.chart-mark');
    if (m) m.hidden = true;
    p.querySelector('.chart-tip').hidden = true;
  }
  var plotOf = function (e) { return e.target.closest && e.target.closest('[data-plot]'); };
  var rtl = function (p) { return getComputedStyle(p).direction === 'rtl'; };
  document.addEventListener('focusin', function (e) {
    var p = plotOf(e);
    if (p && e.target === p) show(p, p.at === undefined ? points(p).length - 1 : p.at);
  });
  document.addEventListener('focusout', function (e) {
    var p = plotOf(e);
    if (p && e.target === p) hide(p);
  });
  document.addEventListener('keydown', function (e) {
    var p = document.activeElement;
    if (!p || !p.matches || !p.matches('[data-plot]')) return;
    var last = points(p).length - 1, i = p.at === undefined ? last : p.at, n;
    if (e.key === 'ArrowRight') n = rtl(p) ? i - 1 : i + 1;
    else if (e.key === 'ArrowLeft') n = rtl(p) ? i + 1 : i - 1;
    else if (e.key === 'Home') n = 0;
    else if (e.key === 'End') n = last;
    else if (e.key === 'Escape') return hide(p);
    else return;
    e.preventDefault();
    show(p, n);
  });
  // A finger shows a point by a tap (or a drag), and the words stay until the next tap elsewhere.
  var touched;
  var pointer = function (e) {
    var p = plotOf(e);
    if (touched && touched !== p) hide(touched);
    touched = e.pointerType === 'touch' ? p : undefined;
    if (!p) return;
    var r = p.getBoundingClientRect(), f = ((e.clientX - r.left) / r.width) * 100, list = points(p), best = 0;
    if (rtl(p)) f = 100 - f;
    list.forEach(function (d, k) { if (Math.abs(d.x - f) < Math.abs(list[best].x - f)) best = k; });
    show(p, best);
  };
  document.addEventListener('pointermove', pointer);
  document.addEventListener('pointerdown', pointer);
  document.addEventListener('pointerout', function (e) {
    var p = plotOf(e);
    if (p && e.pointerType !== 'touch' && !p.contains(e.relatedTarget) && document.activeElement !== p) hide(p);
  });
})();`;
