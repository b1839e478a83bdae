// <upkeep-status>: incidents and maintenance as a banner in an app (README: "An embed for your app").
// Hand-written, shipped as is: no library does it in 3 KB gzip.

const WORDS = ['minor', 'major', 'critical', 'in_progress', 'scheduled', 'dismiss'];
const L = {
  en: 'Minor incident|Major incident|Critical incident|Maintenance in progress|Scheduled maintenance|Dismiss',
  'pt-BR': 'Incidente menor|Incidente grave|Incidente crítico|Manutenção em andamento|Manutenção agendada|Dispensar',
  cs: 'Menší incident|Závažný incident|Kritický incident|Probíhá údržba|Plánovaná údržba|Zavřít',
  ru: 'Малый инцидент|Серьёзный инцидент|Критический инцидент|Идёт обслуживание|Плановое обслуживание|Закрыть',
  fa: 'رخداد جزئی|رخداد جدی|رخداد بحرانی|نگهداری در جریان|نگهداری برنامه‌ریزی‌شده|بستن',
  'zh-CN': '轻微事件|重大事件|严重事件|正在维护|计划维护|关闭',
};

const css = new CSSStyleSheet();
css.replaceSync(`:host{display:block}
.b{--c:#1d4ed8;display:flex;align-items:center;gap:.6em;padding:.4em .75em;border:1px solid #ccc;border-inline-start:5px solid var(--c);border-radius:.4em;background:#fff;color:#222}
.minor{--c:#8a5300}.major{--c:#c2410c}.critical{--c:#b91c1c}
i{width:1.4em;border-radius:50%;background:var(--c);color:#fff;font:700 1em/1.4 sans-serif;text-align:center}
p{margin:0;flex:1}a{color:inherit;font-weight:600}
button{min-width:24px;min-height:24px;border:0;background:none;color:inherit;font-size:1.2em}
@media (prefers-color-scheme:dark){.b{background:#161b22;color:#eee;border-color:#444}}
@media (prefers-reduced-motion:no-preference){.b{animation:u .3s}}@keyframes u{from{opacity:0}}`);

// Dismissed "id status updated_at": an update shows again.
let gone = [];
try {
  gone = JSON.parse(localStorage.upkeepStatus) || [];
} catch {}

const el = (tag, attrs, ...kids) => {
  const e = document.createElement(tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  e.append(...kids);
  return e;
};

class UpkeepStatus extends HTMLElement {
  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [css];
    // Live first: a banner is announced.
    this.live = root.appendChild(el('div', { role: 'status' }));
  }

  connectedCallback() {
    this.load();
  }

  // Polls while visible; a hidden page catches up when seen.
  async load() {
    clearTimeout(this.timer);
    if (!this.isConnected) return;
    if (document.hidden) return document.addEventListener('visibilitychange', () => this.load(), { once: true });
    const every = this.getAttribute('interval') ?? 300;
    if (every > 0) this.timer = setTimeout(() => this.load(), every * 1e3);
    const src = this.getAttribute('src');
    this.base = new URL(src ? src.replace(/\/?$/, '/') : '../', src ? document.baseURI : import.meta.url);
    try {
      // A CDN's max-age must not hide an incident.
      const res = await fetch(new URL('api/v2/summary.json', this.base), { cache: 'no-cache' });
      if (res.ok) this.summary = await res.json();
      this.render();
    } catch {}
  }

  render() {
    const s = this.summary;
    const asked = (this.closest('[lang]')?.lang || 'en').toLowerCase();
    const lang = Object.keys(L).find((k) => asked.startsWith(k.slice(0, 2))) || 'en';
    const t = Object.fromEntries(L[lang].split('|').map((w, k) => [WORDS[k], w]));
    const now = Date.now();
    const time = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
    const list = [];
    for (const i of s.incidents) {
      const impact = ['major', 'critical'].includes(i.impact) ? i.impact : 'minor';
      if (!/resolved|postmortem/.test(i.status)) list.push({ rank: 9 + WORDS.indexOf(impact), kind: impact, note: time.format(new Date(i.started_at)), i });
    }
    for (const i of s.scheduled_maintenances) {
      const start = Date.parse(i.scheduled_for);
      const end = Date.parse(i.scheduled_until);
      const going = i.status === 'in_progress' || start <= now;
      if (end > now && (going || start - now < (this.getAttribute('upcoming') ?? 24) * 36e5))
        list.push({ rank: going ? 2 : 1, kind: going ? 'in_progress' : 'scheduled', note: time.formatRange(start, end), i });
    }
    // Stable: newest and soonest first, as listed.
    list.sort((a, b) => b.rank - a.rank);
    const key = ({ i }) => `${i.id} ${i.status} ${i.updated_at}`;
    const shown = list.find((x) => !gone.includes(key(x)));
    const id = shown ? lang + key(shown) : '';
    // Unchanged: not announced again.
    if (id === this.showing) return;
    this.showing = id;
    this.live.replaceChildren();
    if (!shown) return;
    const n = shown.i.translations?.[lang] || shown.i;
    // Where the summary was read; never a script URL.
    const url = new URL(`${n.shortlink}`.replace(s.page.url, ''), this.base);
    const close = el('button', { type: 'button', title: t.dismiss, 'aria-label': t.dismiss }, '×');
    close.onclick = () => {
      gone = [...gone, key(shown)].slice(-20);
      try {
        localStorage.upkeepStatus = JSON.stringify(gone);
      } catch {}
      this.render();
    };
    this.live.append(
      el(
        'div',
        { class: `b ${shown.kind}`, part: 'banner', role: 'region', 'aria-label': t[shown.kind], lang, dir: lang === 'fa' ? 'rtl' : 'ltr' },
        el('i', { 'aria-hidden': true }, shown.i.scheduled_for ? 'i' : '!'),
        el(
          'p',
          {},
          el('strong', {}, t[shown.kind]),
          ' ',
          // The JSON has < and > as entities (for innerHTML).
          el('a', { href: /^https?:$/.test(url.protocol) ? url : this.base, dir: 'auto' }, n.name.replace(/&lt;/g, '<').replace(/&gt;/g, '>')),
          ` | ${shown.note}`,
        ),
        close,
      ),
    );
  }
}

customElements.get('upkeep-status') || customElements.define('upkeep-status', UpkeepStatus);
