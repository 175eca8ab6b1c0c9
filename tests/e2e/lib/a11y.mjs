// Accessibility checks for any screen of the client, by any test file: an axe-core audit, a
// sideways-scroll (reflow) check, a keyboard walk that says where Tab goes and whether each stop
// can be seen, and a recorder of what the page's live regions say.
//
//   await expectAccessible(page, 'home, en, 390x844');          // axe: no serious/critical issue
//   await expectNoHorizontalScroll(page, 'home, en, 320x640');  // WCAG 1.4.10 reflow
//   const stops = await walkFocus(page, { fromTop: true });     // [{ name, role, testid, ... }]
//   expectStopsVisible(stops, 'home, en, 320x640');             // each stop seen and unobscured
//   await startLiveRegionLog(page); ...; await liveRegionLog(page) // [{ text, politeness, ... }]
//
// Every function takes a Playwright Page and works on the page's current document; none of them
// changes what the page shows (walkFocus moves focus, which is the point of it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let axeSource = null;

function axeScript() {
  if (axeSource === null) {
    let file;
    try {
      file = require.resolve('axe-core/axe.min.js');
    } catch {
      throw new Error('axe-core is not installed: run script/bootstrap (or npm ci) at the top of the repository');
    }
    axeSource = readFileSync(file, 'utf8');
  }
  return axeSource;
}

// Puts axe-core into the page once (window.axe). The client's Content-Security-Policy
// (script-src 'self') refuses an inline <script>, and a context with bypassCSP would hide the
// client's own CSP mistakes from the tests; so the script is served from the page's own origin
// through a route that exists only while it loads, and added as a <script src>.
export async function injectAxe(page) {
  if (await page.evaluate(() => typeof window.axe?.run === 'function')) return;
  const url = new URL('/__parley-tests__/axe.min.js', page.url()).href;
  const serve = (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: axeScript() });
  await page.route(url, serve);
  try {
    await page.addScriptTag({ url });
  } finally {
    await page.unroute(url, serve);
  }
  if (!(await page.evaluate(() => typeof window.axe?.run === 'function'))) {
    throw new Error('axe-core did not load into the page');
  }
}

// The rule sets the audit runs: WCAG 2.0/2.1 level A and AA, and axe's best practices.
export const AXE_TAGS = Object.freeze(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
export const FAILING_IMPACTS = Object.freeze(['serious', 'critical']);

// Runs axe on the page (or on `include` selectors, minus `exclude`) and fails with every
// serious or critical violation: rule id, impact, what it means, and the elements (CSS
// selectors) with axe's summary of what to fix. `disableRules`: rule ids to skip, each with a
// reason in the caller's code. Returns every violation found (the minor and moderate ones too),
// as { id, impact, help, helpUrl, nodes: [{ target, impact, summary, html }] }.
export async function expectAccessible(page, label, { include, exclude, disableRules = [], impacts = FAILING_IMPACTS } = {}) {
  await injectAxe(page);
  const violations = await page.evaluate(async ({ include, exclude, tags, disableRules }) => {
    const context = include || exclude ? { include: include ?? [['html']], exclude: exclude ?? [] } : document;
    const results = await window.axe.run(context, {
      runOnly: { type: 'tag', values: tags },
      rules: Object.fromEntries(disableRules.map((id) => [id, { enabled: false }])),
      resultTypes: ['violations'],
    });
    return results.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map(String), impact: n.impact ?? v.impact,
        summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim(), html: n.html.slice(0, 160),
      })),
    }));
  }, { include, exclude, tags: [...AXE_TAGS], disableRules });
  const failing = violations
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => impacts.includes(n.impact)) }))
    .filter((v) => v.nodes.length > 0);
  if (failing.length > 0) {
    const lines = failing.flatMap((v) => [
      `- ${v.id} (${v.impact}): ${v.help} <${v.helpUrl}>`,
      ...v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.summary}\n      ${n.html}`),
    ]);
    assert.fail(`${label}: ${failing.length} serious or critical accessibility problem(s):\n${lines.join('\n')}`);
  }
  return violations;
}

// The page does not scroll sideways (WCAG 1.4.10: content reflows down to 320 CSS px). Fails
// naming the elements that reach past the viewport's edges, deepest first.
export async function expectNoHorizontalScroll(page, label) {
  const found = await page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    const width = root.clientWidth;
    const describe = (el) => {
      const id = el.id ? `#${el.id}` : '';
      const testid = el.dataset?.testid ? `[data-testid="${el.dataset.testid}"]` : '';
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      return `${el.tagName.toLowerCase()}${id}${testid}${cls}`;
    };
    // What is left to see of [left, right] once every element from `from` up that clips
    // (overflow other than visible, clip, clip-path: a scrolling box, an ellipsis, a visually
    // hidden text) has cut it; null when nothing is left.
    const visibleX = (left, right, from) => {
      for (let a = from; a && a !== document.body; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX === 'visible' && style.clip === 'auto' && style.clipPath === 'none') continue;
        if (style.clip.startsWith('rect(0px, 0px, 0px, 0px)') || style.clipPath === 'inset(50%)') return null;
        const outer = a.getBoundingClientRect();
        left = Math.max(left, outer.left);
        right = Math.min(right, outer.right);
        if (right - left <= 1) return null;
      }
      return { left, right };
    };
    const past = (box) => box && (box.right > width + 0.5 || box.left < -0.5);
    const where = (box) => `[${Math.round(box.left)}..${Math.round(box.right)}]`;
    const sticking = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (!el.checkVisibility()) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width <= 1 && rect.height <= 1) continue; // a visually hidden pixel
      const box = visibleX(rect.left, rect.right, el.parentElement);
      // Only the deepest: an element whose child sticks out is not itself the cause.
      if (past(box)) sticking.push({ el, text: `${describe(el)} ${where(box)}` });
    }
    const deepest = sticking.filter(({ el }) => !sticking.some((other) => other.el !== el && el.contains(other.el)));
    // Text can stick out of a box that itself fits (a long word): each line of text counts.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!node.textContent.trim() || !parent?.checkVisibility()) continue;
      range.selectNodeContents(node);
      for (const line of range.getClientRects()) {
        const box = visibleX(line.left, line.right, parent);
        if (past(box)) {
          deepest.push({ el: parent, text: `text "${node.textContent.trim().slice(0, 30)}" in ${describe(parent)} ${where(box)}` });
          break;
        }
      }
    }
    return { scrollWidth: root.scrollWidth, width, sticking: deepest.slice(0, 10).map((s) => s.text) };
  });
  if (found.scrollWidth > found.width || found.sticking.length > 0) {
    assert.fail(`${label}: the page is ${found.scrollWidth} px wide in a ${found.width} px viewport` +
      `${found.sticking.length ? `; past the edge: ${found.sticking.join(', ')}` : ''}`);
  }
}

// What the focused element is, as a person with a keyboard or a screen reader meets it: its
// accessible name and role (axe-core's computation), data-testid, and whether it can be seen:
// `inViewport` (its box is inside the viewport), `unobscured` (the topmost element at its centre
// is it or inside it), `indicator` (a visible outline or box-shadow while focused).
async function describeFocus(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    let name = null;
    let role = null;
    try {
      window.axe.setup(document);
      name = window.axe.commons.text.accessibleText(el);
      role = window.axe.commons.aria.getRole(el);
    } finally {
      window.axe.teardown();
    }
    const box = el.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    const height = document.documentElement.clientHeight;
    const inViewport = box.width > 0 && box.height > 0 && box.left >= -0.5 && box.top >= -0.5 &&
      box.right <= width + 0.5 && box.bottom <= height + 0.5;
    const hit = inViewport ? document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) : null;
    const unobscured = Boolean(hit) && (hit === el || el.contains(hit));
    const style = getComputedStyle(el);
    const indicator = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    const tag = el.tagName.toLowerCase();
    return {
      tag, role, name: (name ?? '').trim(), testid: el.dataset?.testid ?? null, id: el.id || null,
      visible: el.checkVisibility(), inViewport, unobscured, indicator,
      obscuredBy: unobscured || !hit ? null : `${hit.tagName.toLowerCase()}${hit.id ? `#${hit.id}` : ''}${hit.className && typeof hit.className === 'string' ? `.${hit.className.trim().split(/\s+/).join('.')}` : ''}`,
      box: { x: Math.round(box.left), y: Math.round(box.top), width: Math.round(box.width), height: Math.round(box.height) },
    };
  });
}

// The focused element right now (as walkFocus describes each stop), or null when nothing is.
export async function focused(page) {
  await injectAxe(page);
  return describeFocus(page);
}

// Presses Tab up to `max` times and returns a description of each element focus reached (see
// describeFocus), in order. Stops when focus leaves the page (past the last stop) or comes back
// to the first stop. `fromTop`: start before the first element of the page, as after a fresh
// load, wherever focus is now. `key`: 'Shift+Tab' walks backwards.
export async function walkFocus(page, { max = 60, fromTop = false, key = 'Tab' } = {}) {
  await injectAxe(page);
  if (fromTop) {
    // A focusable place at the very start of the body, left as soon as Tab moves on.
    await page.evaluate(() => {
      const start = document.createElement('span');
      start.tabIndex = -1;
      start.dataset.walkStart = '';
      document.body.prepend(start);
      start.focus({ preventScroll: true });
    });
  }
  const stops = [];
  try {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press(key);
      if (fromTop && i === 0) await page.evaluate(() => document.querySelector('[data-walk-start]')?.remove());
      const stop = await describeFocus(page);
      if (!stop) break;
      const first = stops[0];
      if (first && first.tag === stop.tag && first.id === stop.id && first.name === stop.name &&
          first.testid === stop.testid && first.box.x === stop.box.x && first.box.y === stop.box.y) break;
      stops.push(stop);
    }
  } finally {
    if (fromTop) await page.evaluate(() => document.querySelector('[data-walk-start]')?.remove());
  }
  return stops;
}

// Fails unless every stop of a walkFocus walk was rendered, inside the viewport, not covered by
// anything, had a name, and showed a focus indicator.
export function expectStopsVisible(stops, label) {
  const bad = stops.filter((s) => !s.visible || !s.inViewport || !s.unobscured || !s.name || !s.indicator);
  if (bad.length > 0) {
    const lines = bad.map((s) => `- ${s.role ?? s.tag} "${s.name}"${s.testid ? ` [${s.testid}]` : ''} at ${JSON.stringify(s.box)}:` +
      `${s.visible ? '' : ' not rendered;'}${s.inViewport ? '' : ' outside the viewport;'}` +
      `${s.unobscured ? '' : ` covered${s.obscuredBy ? ` by ${s.obscuredBy}` : ''};`}` +
      `${s.name ? '' : ' no accessible name;'}${s.indicator ? '' : ' no focus indicator;'}`);
    assert.fail(`${label}: ${bad.length} of ${stops.length} keyboard stops cannot be seen or named:\n${lines.join('\n')}`);
  }
}

// Every element Tab should reach, in document order: visible, enabled, not inert, tabindex >= 0
// (no positive tabindex is used by the client). Described like walkFocus stops, for comparison.
export async function tabbableElements(page) {
  await injectAxe(page);
  return page.evaluate(() => {
    const selector = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex], [contenteditable="true"]';
    const found = [];
    window.axe.setup(document);
    try {
      for (const el of document.querySelectorAll(selector)) {
        if (el.tabIndex < 0 || el.disabled || el.closest('[inert]') || !el.checkVisibility({ visibilityProperty: true })) continue;
        if (el.tagName === 'SUMMARY' && el.parentElement?.tagName !== 'DETAILS') continue;
        // Inside a closed <details> only the summary is reachable.
        const details = el.closest('details:not([open])');
        if (details && el !== details.querySelector(':scope > summary')) continue;
        found.push({
          tag: el.tagName.toLowerCase(), role: window.axe.commons.aria.getRole(el),
          name: (window.axe.commons.text.accessibleText(el) ?? '').trim(), testid: el.dataset?.testid ?? null, id: el.id || null,
        });
      }
    } finally {
      window.axe.teardown();
    }
    return found;
  });
}

// WCAG 1.4.11 for form fields, which axe-core does not check (its color-contrast rule is for
// text): every visible field's edge (its border colour, or its own background where it has no
// border) stands out from what is behind it by at least `min`:1. Returns what was measured:
// [{ field, ratio, edge, behind }].
export async function expectFieldBoundaries(page, label, {
  selector = 'input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]):not([type="range"]), select, textarea',
  min = 3,
} = {}) {
  const fields = await page.evaluate((selector) => {
    const parse = (css) => {
      const m = /rgba?\(([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)(?:[ ,/]+([\d.]+%?))?\)/.exec(css);
      if (!m) return null;
      const alpha = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
      return { r: +m[1], g: +m[2], b: +m[3], a: alpha };
    };
    const over = (top, bottom) => ({
      r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
      b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
    });
    // The colour behind an element: its ancestors' backgrounds laid over a white canvas
    // (the root's background is the canvas's).
    const behind = (el) => {
      const chain = [];
      for (let a = el.parentElement; a; a = a.parentElement) chain.unshift(a);
      let colour = { r: 255, g: 255, b: 255, a: 1 };
      for (const a of chain) {
        const bg = parse(getComputedStyle(a).backgroundColor);
        if (bg && bg.a > 0) colour = over(bg, colour);
      }
      return colour;
    };
    const luminance = ({ r, g, b }) => {
      const lin = (v) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const ratio = (x, y) => {
      const [hi, lo] = [luminance(x), luminance(y)].sort((a, b) => b - a);
      return (hi + 0.05) / (lo + 0.05);
    };
    const hex = ({ r, g, b }) => `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
    return [...document.querySelectorAll(selector)].filter((el) => el.checkVisibility({ visibilityProperty: true })).map((el) => {
      const style = getComputedStyle(el);
      const back = behind(el);
      const border = parseFloat(style.borderTopWidth) > 0 ? parse(style.borderTopColor) : null;
      const edge = border && border.a > 0 ? over(border, back) : over(parse(style.backgroundColor) ?? { r: 0, g: 0, b: 0, a: 0 }, back);
      return {
        field: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}`, ratio: Math.round(ratio(edge, back) * 100) / 100,
        edge: hex(edge), behind: hex(back),
      };
    });
  }, selector);
  const weak = fields.filter((f) => f.ratio < min);
  if (weak.length > 0) {
    assert.fail(`${label}: field edges below ${min}:1 (WCAG 1.4.11):\n${weak.map((f) => `- ${f.field}: ${f.edge} on ${f.behind} is ${f.ratio}:1`).join('\n')}`);
  }
  return fields;
}

// Starts recording what the page's live regions say from now on (and again after a reload).
// A live region is an element with aria-live (not "off") or role status, alert or log; what
// counts as said: text added to or changed in one (the whole region when aria-atomic="true"),
// and a role="alert"/"status" element inserted with text in it (several screen readers say
// those even outside a live region). Regions not rendered (hidden) say nothing.
export async function startLiveRegionLog(page) {
  const install = () => {
    if (window.__liveRegionLog) return;
    const log = [];
    window.__liveRegionLog = log;
    const LIVE_ROLES = new Set(['status', 'alert', 'log']);
    const regionOf = (node) => {
      for (let el = node.nodeType === 1 ? node : node.parentElement; el; el = el.parentElement) {
        const live = el.getAttribute('aria-live');
        if (live && live !== 'off') return el;
        if (LIVE_ROLES.has(el.getAttribute('role'))) return el;
      }
      return null;
    };
    const politeness = (region) => region.getAttribute('aria-live') ??
      (region.getAttribute('role') === 'alert' ? 'assertive' : 'polite');
    const name = (region) => region.dataset.testid || region.id || region.className || region.tagName.toLowerCase();
    const say = (region, text) => {
      const clean = text.replace(/\s+/g, ' ').trim();
      if (!clean || !region.checkVisibility()) return;
      log.push({ region: name(region), politeness: politeness(region), text: clean, at: Date.now() });
    };
    const observer = new MutationObserver((mutations) => {
      const atomicDone = new Set();
      for (const m of mutations) {
        const region = regionOf(m.target);
        if (region) {
          if (region.getAttribute('aria-atomic') === 'true') {
            if (!atomicDone.has(region)) { atomicDone.add(region); say(region, region.textContent); }
            continue;
          }
          if (m.type === 'characterData') say(region, m.target.textContent);
          else for (const node of m.addedNodes) say(region, node.textContent);
          continue;
        }
        // Not inside a live region: a live region inserted whole, with its text.
        for (const node of m.addedNodes) {
          if (node.nodeType !== 1) continue;
          const inserted = [node, ...node.querySelectorAll('[role="alert"], [role="status"], [aria-live]')]
            .filter((el) => el.matches('[role="alert"], [role="status"], [aria-live]:not([aria-live="off"])'));
          for (const el of inserted) say(el, el.textContent);
        }
      }
    });
    observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true });
  };
  await page.addInitScript(install);
  await page.evaluate(install);
}

// What the live regions said since startLiveRegionLog: [{ region, politeness, text, at }].
export function liveRegionLog(page) {
  return page.evaluate(() => window.__liveRegionLog ?? []);
}
