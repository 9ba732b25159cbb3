// <stateless-lab> in other people's pages: a host page with hostile CSS loading the widget
// across origins, a cross-origin iframe driven by postMessage, and a strict CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, startServer, startFixtureServer, watchErrors, waitReady, screenshot, requireCore,
} from './widget-browser.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
  + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

let site;        // the site, with CORS (its widget is loaded from other origins)
let strictSite;  // the site again, under a strict Content-Security-Policy
let host;        // "someone else's" origin
let evil;        // a third origin
let browser;

before(async () => {
  requireCore();
  site = await startServer({ cors: true });
  strictSite = await startServer({ csp: CSP });
  host = await startFixtureServer(site.url);
  evil = await startFixtureServer(site.url);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const s of [site, strictSite, host, evil]) await s?.close();
});

test('<stateless-lab> on a page with hostile CSS keeps its own look, layout and controls', async () => {
  const page = await browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${host.url}widget-hostile.html`);
  await waitReady(page, '#lab');
  const look = await page.evaluate(() => {
    const el = document.getElementById('lab');
    const sr = el.shadowRoot;
    const button = sr.querySelector('button');
    const cs = getComputedStyle(button);
    const root = getComputedStyle(sr.querySelector('.root'));
    const canvas = sr.querySelector('canvas').getBoundingClientRect();
    return {
      errors: el.errors,
      fontSize: cs.fontSize, fontStyle: cs.fontStyle, transform: cs.textTransform, color: cs.color,
      buttonVisible: button.checkVisibility({ opacityProperty: true, visibilityProperty: true }),
      rootFont: root.fontSize, rootDirection: root.direction, rootLetter: root.letterSpacing,
      canvasH: canvas.height, canvasW: canvas.width, hostW: el.getBoundingClientRect().width,
      accent: getComputedStyle(sr.querySelector('button.primary')).backgroundColor,
    };
  });
  assert.deepEqual(look.errors, []);
  assert.equal(look.fontSize, '13.5px');
  assert.equal(look.fontStyle, 'normal');
  assert.equal(look.transform, 'none');
  assert.notEqual(look.color, 'rgb(255, 0, 255)');
  assert.ok(look.buttonVisible, 'buttons inside stay visible');
  assert.equal(look.rootFont, '14px');
  assert.equal(look.rootDirection, 'ltr');
  assert.equal(look.rootLetter, 'normal');
  assert.equal(look.accent, 'rgb(122, 31, 162)', 'the host themed it through ::part(root)');
  assert.ok(look.canvasH > 150 && look.canvasW > 300, `diagram is ${look.canvasW}x${look.canvasH}`);
  assert.ok(look.hostW <= 900 + 2 * 12 + 2 * 6 + 1 && look.canvasW < look.hostW, 'sized by the box the host gives it');
  // It still works: kill a server through its own button.
  await page.locator('#lab').getByRole('button', { name: /^Kill S1/ }).click();
  await page.waitForFunction(() => document.getElementById('lab').state.actions.length === 1);
  await screenshot(page, 'widget-hostile-1280', { fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('embed.html in a cross-origin iframe talks to its parent only, by postMessage', async () => {
  const page = await browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${host.url}widget-iframe-host.html?evil=${encodeURIComponent(evil.url)}`);
  const siteOrigin = new URL(site.url).origin;
  const hostOrigin = new URL(host.url).origin;
  const waitMessage = (type, pred = 'true') => page.waitForFunction(
    ([t, p]) => window.messages.some((m) => m.fromLab && m.data?.type === t && new Function('m', `return ${p}`)(m.data)),
    [type, pred], { timeout: 20000 });
  await waitMessage('ready');
  await waitMessage('resize', 'm.height > 300');
  await page.waitForFunction(() => window.messages.some((m) => m.data?.type === 'evil-done'));
  const frame = page.frame({ url: /embed\.html/ });
  // The frame was resized to its content.
  const frameHeight = await page.evaluate(() => document.getElementById('lab').getBoundingClientRect().height);
  assert.ok(frameHeight > 300, `frame is ${frameHeight}px tall`);

  await page.evaluate(() => window.send({ type: 'inject', action: { do: 'kill_server', server: 1 } }));
  await waitMessage('action', 'm.ok && m.action.server === 1');
  await page.evaluate(() => window.send({ type: 'inject', action: { do: 'kill_server', server: 99 } }));
  await waitMessage('action', '!m.ok && /server/.test(m.error.message)');
  await page.evaluate(() => window.send({ type: 'play' }));
  await waitMessage('state', 'm.playing && m.time > 0.5');
  await page.evaluate(() => window.send({ type: 'pause' }));
  await waitMessage('state', '!m.playing');
  await frame.evaluate(() => document.dispatchEvent(new CustomEvent('stateless-lab:quiz-answer', {
    bubbles: true, composed: true, detail: { quiz: 'sticky-sessions', question: 'q1', answer: 'b', correct: true },
  })));
  await waitMessage('quiz-answer', "m.question === 'q1' && m.correct === true");

  const msgs = await page.evaluate(() => window.messages);
  const fromLab = msgs.filter((m) => m.fromLab);
  assert.ok(fromLab.every((m) => m.origin === siteOrigin && m.data.source === 'stateless-lab'));
  const state = await frame.evaluate(() => document.querySelector('stateless-lab').state);
  assert.deepEqual(state.actions.map((a) => a.server), [1], 'the sibling frame\'s kill_server 0 was ignored');
  assert.equal(new URL(page.url()).origin, hostOrigin);
  assert.deepEqual(errors, []);
  await screenshot(page, 'widget-iframe-1280', { fullPage: true });
  await page.close();
});

test('embed.html told to trust another origin than its parent sends nothing and says why', async () => {
  const page = await browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${host.url}widget-iframe-host.html?origin=${encodeURIComponent('https://wrong.example')}`);
  const frame = await (await page.waitForSelector('#lab')).contentFrame();
  await frame.waitForFunction(() => typeof document.querySelector('stateless-lab')?.firstFrameAt === 'number');
  await page.evaluate(() => window.send({ type: 'play' }));
  await page.waitForTimeout(400);
  const text = await frame.locator('#embed-error').textContent();
  assert.match(text, /URL parameter origin/);
  assert.match(text, /wrong\.example/);
  assert.deepEqual(await page.evaluate(() => window.messages.filter((m) => m.fromLab)), []);
  assert.equal(await frame.evaluate(() => document.querySelector('stateless-lab').playing), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('<stateless-lab> runs under a strict CSP without inline scripts or styles', async () => {
  for (const path of ['playground.html?scenario=sticky-crash&compare=token', 'embed.html?scenario=shared-store']) {
    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    await page.addInitScript(() => {
      window.violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`));
    });
    const response = await page.goto(strictSite.url + path);
    assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
    await waitReady(page);
    await page.evaluate(() => document.querySelector('stateless-lab').play());
    await page.waitForFunction(() => document.querySelector('stateless-lab').state.time > 1.2);
    const out = await page.evaluate(() => {
      const el = document.querySelector('stateless-lab');
      return {
        violations: window.violations, errors: el.errors, charts: el.shadowRoot.querySelectorAll('.uplot').length,
        sheets: el.shadowRoot.adoptedStyleSheets.length, rules: el.shadowRoot.adoptedStyleSheets.reduce((n, s) => n + s.cssRules.length, 0),
        dots: el.renderStats.dots,
      };
    });
    assert.deepEqual(out.violations, []);
    assert.deepEqual(out.errors, []);
    assert.equal(out.charts, 4);
    assert.ok(out.rules > 50, 'styles applied as constructable sheets');
    assert.ok(out.dots > 0);
    assert.deepEqual(errors, []);
    await page.close();
  }
});
