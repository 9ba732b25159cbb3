// The embed channel's origin rules (web/widget/embed-channel.mjs) on fake windows: which
// parent it trusts, which messages it takes, where it posts.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { EmbedChannel, parentOrigin, SOURCE } from '../../web/widget/embed-channel.mjs';

/// A framed window: search is the page's query, ancestor what location.ancestorOrigins[0] says
/// (undefined: the browser does not report it), referrer the document's referrer.
function framed({ search = '', ancestor, referrer = '' } = {}) {
  const parent = { posted: [], postMessage(message, target) { this.posted.push({ message, target }); } };
  const listeners = new Set();
  const win = {
    parent,
    location: { search, ancestorOrigins: ancestor === undefined ? undefined : [ancestor] },
    document: { referrer },
    addEventListener: (type, f) => { if (type === 'message') listeners.add(f); },
    removeEventListener: (type, f) => listeners.delete(f),
    deliver: (event) => { for (const f of listeners) f(event); },
  };
  return win;
}

test('parentOrigin of a page that is not framed is null without an error', () => {
  const win = framed();
  win.parent = win;
  assert.deepEqual(parentOrigin(win), { origin: null, error: null });
});

test('parentOrigin takes the origin parameter when the browser reports the same parent', () => {
  const win = framed({ search: '?origin=https://course.example', ancestor: 'https://course.example' });
  assert.deepEqual(parentOrigin(win), { origin: 'https://course.example', error: null });
});

test('parentOrigin refuses an origin parameter that differs from the parent the browser reports', () => {
  const r = parentOrigin(framed({ search: '?origin=https://course.example', ancestor: 'https://evil.example' }));
  assert.equal(r.origin, null);
  assert.match(r.error, /says https:\/\/course\.example but this page is framed by https:\/\/evil\.example/);
});

test('parentOrigin refuses an origin parameter that is not a plain http(s) origin', () => {
  for (const bad of ['javascript:alert(1)', 'https://course.example/path', 'course.example', 'ftp://course.example']) {
    const r = parentOrigin(framed({ search: `?origin=${encodeURIComponent(bad)}` }));
    assert.equal(r.origin, null, bad);
    assert.match(r.error, /must be an origin like https:\/\/example\.org/, bad);
  }
});

test('parentOrigin without a parameter trusts the reported ancestor, then the referrer, never "null"', () => {
  assert.equal(parentOrigin(framed({ ancestor: 'https://a.example', referrer: 'https://b.example/page' })).origin, 'https://a.example');
  assert.equal(parentOrigin(framed({ referrer: 'https://b.example/page' })).origin, 'https://b.example');
  assert.equal(parentOrigin(framed({ ancestor: 'null' })).origin, null);
  assert.equal(parentOrigin(framed({ referrer: 'not a url' })).origin, null);
});

test('EmbedChannel takes messages only from the parent window at the trusted origin, and only objects with a type', () => {
  const win = framed({ ancestor: 'https://course.example' });
  const channel = new EmbedChannel(win);
  const got = [];
  channel.onMessage((m) => got.push(m.type));
  win.deliver({ source: win.parent, origin: 'https://course.example', data: { type: 'play' } });
  win.deliver({ source: {}, origin: 'https://course.example', data: { type: 'from-a-sibling-frame' } });
  win.deliver({ source: win.parent, origin: 'https://evil.example', data: { type: 'from-another-origin' } });
  win.deliver({ source: win.parent, origin: 'https://course.example', data: 'play' });
  win.deliver({ source: win.parent, origin: 'https://course.example', data: { type: 7 } });
  assert.deepEqual(got, ['play']);
  channel.close();
  win.deliver({ source: win.parent, origin: 'https://course.example', data: { type: 'after-close' } });
  assert.deepEqual(got, ['play']);
});

test('EmbedChannel posts to the parent at its origin only, and not at all when the parent is unknown', () => {
  const win = framed({ ancestor: 'https://course.example' });
  const channel = new EmbedChannel(win);
  assert.equal(channel.send('ready', { height: 10 }), true);
  assert.deepEqual(win.parent.posted, [{ message: { height: 10, source: SOURCE, type: 'ready' }, target: 'https://course.example' }]);

  const unknown = framed({ search: '?origin=nonsense' });
  const quiet = new EmbedChannel(unknown);
  assert.equal(quiet.send('ready'), false);
  assert.deepEqual(unknown.parent.posted, []);
  assert.match(quiet.error, /must be an origin/);
  const got = [];
  quiet.onMessage((m) => got.push(m));
  unknown.deliver({ source: unknown.parent, origin: 'https://course.example', data: { type: 'play' } });
  assert.deepEqual(got, [], 'with no trusted origin nothing is taken either');
});
