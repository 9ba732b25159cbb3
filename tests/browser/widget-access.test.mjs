// <stateless-lab> for everyone: keyboard only, visible focus, reduced motion, touch at 360 px,
// and an axe-core audit (zero serious or critical violations) in light and dark themes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchErrors, waitReady, screenshot, useSiteAndBrowser } from './widget-browser.mjs';
import { injectAxe } from './test-site.mjs';

const env = useSiteAndBrowser();

/// The focused element inside the widget: its tag, accessible label and focus outline.
const focused = (page) => page.evaluate(() => {
  const el = document.querySelector('stateless-lab');
  const a = el.shadowRoot.activeElement;
  if (!a) return null;
  const cs = getComputedStyle(a);
  const label = a.labels?.[0]?.textContent ?? a.getAttribute('aria-label') ?? a.textContent;
  return { tag: a.tagName, label: label.trim(), outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
});

async function tabTo(page, pred, max = 40) {
  for (let i = 0; i < max; ++i) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f) assert.ok(f.outline !== 'none' && f.width >= 2, `focus is visible on ${f.tag} "${f.label}"`);
    if (f && pred(f)) return f;
  }
  throw new Error('never reached the control by Tab');
}

test('<stateless-lab> can be driven by keyboard alone, with a visible focus everywhere', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.site.url}embed.html?scenario=sticky-crash`);
  await waitReady(page);
  const lab = () => page.evaluate(() => document.querySelector('stateless-lab').state);

  await tabTo(page, (f) => f.label === 'Play');
  await page.keyboard.press('Enter');
  assert.equal((await lab()).playing, true);
  await page.keyboard.press('k');
  assert.equal((await lab()).playing, false, 'K toggles play/pause');
  const t0 = (await lab()).time;
  await tabTo(page, (f) => f.label === 'Step');
  await page.keyboard.press('Space');
  // The simulation answers from its worker: the step lands a moment after the key.
  await page.waitForFunction((t) => document.querySelector('stateless-lab').state.time > t, t0);
  await tabTo(page, (f) => f.label === 'Speed');
  for (let i = 0; i < 6; ++i) await page.keyboard.press('ArrowRight');
  assert.ok((await lab()).speed > 1.5, 'arrow keys raise the speed');
  await tabTo(page, (f) => f.label === 'Time');
  const t1 = (await lab()).time;
  for (let i = 0; i < 10; ++i) await page.keyboard.press('ArrowRight');
  await page.waitForFunction((t) => document.querySelector('stateless-lab').state.time > t + 0.5, t1);
  await tabTo(page, (f) => f.label === 'Balancer');
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => document.querySelector('stateless-lab').state.policy !== 'sticky_cookie');
  await tabTo(page, (f) => f.label === 'Sessions');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelector('stateless-lab').state.mode === 'shared_store');
  await tabTo(page, (f) => f.label === 'Store down');
  await page.keyboard.press('Enter');
  await tabTo(page, (f) => f.label === 'User');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('42');
  await page.keyboard.press('Enter');
  await tabTo(page, (f) => /^Kill S3/.test(f.label));
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('stateless-lab').state.actions.length === 5);
  const s = await lab();
  assert.deepEqual(s.actions.map((a) => a.do), ['set_policy', 'set_session_mode', 'store_down', 'revoke_user', 'kill_server']);
  assert.equal(s.actions.find((a) => a.do === 'revoke_user').user, 42);
  assert.equal(s.actions.find((a) => a.do === 'kill_server').server, 3);
  // Focus stays on the server button after its label changes to Restart.
  const f = await focused(page);
  assert.match(f.label, /^Restart S3/);
  await screenshot(page, 'widget-keyboard-1280');
  assert.deepEqual(errors, []);
  await page.close();
});

async function sampleMotion(page, ms) {
  return page.evaluate(async (duration) => {
    const el = document.querySelector('stateless-lab');
    el.play();
    const d0 = el.renderStats.draws;
    let maxMoving = 0;
    let maxDots = 0;
    const end = performance.now() + duration;
    while (performance.now() < end) {
      await new Promise((ok) => setTimeout(ok, 50));
      maxMoving = Math.max(maxMoving, el.renderStats.moving);
      maxDots = Math.max(maxDots, el.renderStats.dots);
    }
    el.pause();
    return { draws: el.renderStats.draws - d0, maxMoving, maxDots };
  }, ms);
}

test('<stateless-lab> with prefers-reduced-motion shows step-wise updates instead of moving dots', async () => {
  const page = await env.browser.context.newPage();
  const errors = watchErrors(page);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(`${env.site.url}embed.html?scenario=sticky-crash`);
  await waitReady(page);
  const reduced = await sampleMotion(page, 2000);
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  const normal = await sampleMotion(page, 1000);
  assert.equal(reduced.maxMoving, 0, 'no dot is drawn between two nodes');
  assert.ok(reduced.maxDots > 0, 'requests are still shown, at their nodes');
  assert.ok(reduced.draws <= 10, `${reduced.draws} pictures in 2 s`);
  assert.ok(normal.maxMoving > 0 && normal.draws > 12, `normal motion animates (${normal.draws} frames in 1 s)`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('<stateless-lab> at 360 px works by touch and does not overflow the page', async () => {
  const context = await env.browser.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.site.url}playground.html?scenario=sticky-crash`);
  await waitReady(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  const lab = page.locator('stateless-lab');
  await lab.getByRole('button', { name: 'Play' }).tap();
  await page.waitForFunction(() => document.querySelector('stateless-lab').state.time > 0.3);
  await lab.getByRole('button', { name: 'Pause' }).tap();
  await lab.getByRole('button', { name: /^Kill S0/ }).tap();
  // Tap server 2 in the picture: probe the widget's hit areas for a point inside its box.
  await lab.locator('.panel canvas').scrollIntoViewIfNeeded();
  const point = await page.evaluate(() => {
    const el = document.querySelector('stateless-lab');
    const r = el.shadowRoot.querySelector('canvas').getBoundingClientRect();
    for (let y = r.top + 2; y < r.bottom; y += 4) {
      for (let x = r.left + 2; x < r.right; x += 4) {
        const hit = el.debugHit(x, y);
        if (hit?.type === 'server' && hit.id === 2) return { x: x + 6, y: y + 6 };
      }
    }
    return null;
  });
  assert.ok(point, 'server 2 is in the picture');
  await page.touchscreen.tap(point.x, point.y);
  await page.waitForFunction(() => document.querySelector('stateless-lab').state.actions.length === 2);
  const actions = await page.evaluate(() => document.querySelector('stateless-lab').state.actions.map((a) => `${a.do}:${a.server}`));
  assert.deepEqual(actions, ['kill_server:0', 'kill_server:2']);
  const small = await page.evaluate(() => [...document.querySelector('stateless-lab').shadowRoot.querySelectorAll('button, select, input')]
    .filter((b) => b.checkVisibility()).map((b) => b.getBoundingClientRect()).filter((r) => r.height < 32 || r.width < 32).length);
  assert.equal(small, 0, 'every control is at least 32 px for a finger');
  await screenshot(page, 'widget-touch-360', { fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

async function audit(page) {
  await injectAxe(page);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return result;
}

test('axe-core finds no serious or critical problems in the widget pages, light and dark, wide and narrow', async () => {
  const cases = [
    { path: 'playground.html?scenario=sticky-crash', scheme: 'light', width: 1280 },
    { path: 'playground.html?scenario=token-revocation&compare=shared_store', scheme: 'dark', width: 1280 },
    { path: 'embed.html?scenario=shared-store', scheme: 'light', width: 360 },
    { path: 'embed.html?scenario=sticky-crash&compare=token', scheme: 'dark', width: 360 },
  ];
  const report = [];
  for (const c of cases) {
    const context = await env.browser.browser.newContext({ viewport: { width: c.width, height: 900 }, colorScheme: c.scheme });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(env.site.url + c.path);
    await waitReady(page);
    await page.evaluate(() => document.querySelector('stateless-lab').step(3));
    await page.waitForTimeout(300);
    const violations = await audit(page);
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    report.push(`${c.path} ${c.scheme} ${c.width}: ${violations.map((v) => `${v.id}(${v.impact})`).join(', ') || 'clean'}`);
    assert.deepEqual(bad, [], `${c.path} (${c.scheme}, ${c.width}px)`);
    assert.deepEqual(errors, []);
    await context.close();
  }
  console.log(report.join('\n'));
});
