// Input on its way into the core and errors on their way out: JS values as the JSON text the
// core reads (bounded in size, lone surrogates replaced as a file would hold them), and the
// core's error JSON as values or LabError. Part of the JS API (./stateless-lab.mjs).

/**
 * Invalid input (a scenario or an action that does not validate), or the core stopped.
 * `path` is the JSON path of the offending value (`$.servers.count`), `message` what is wrong,
 * `got` the offending value as JSON text ('' if absent) and `text` the whole line the CLI
 * prints after `error: `. `coreStopped` is true when the WebAssembly core ran out of memory
 * or trapped: the simulations it held are lost, and the Lab loads a fresh core (await
 * lab.ready) for the next call.
 */
export class LabError extends Error {
  /** @param {{path: string, message: string, got?: string, text?: string, coreStopped?: boolean}} e */
  constructor({ path, message, got = '', text, coreStopped = false }) {
    super(message);
    this.name = 'LabError';
    /** @type {string} */ this.path = path;
    /** @type {string} */ this.got = got;
    /** @type {string} */ this.text = text ?? `${path}: ${message}${got ? ` (got ${got})` : ''}`;
    /** @type {boolean} */ this.coreStopped = coreStopped;
  }
  toString() { return `${this.name}: ${this.text}`; }
}

/** Largest scenario or action text the core accepts, bytes (kMaxInputBytes in the core). */
export const MAX_INPUT_BYTES = 1 << 20;

/** UTF-8 length of a string, without encoding it. */
export function utf8Length(text) {
  let n = 0;
  for (let i = 0; i < text.length; ++i) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xD800 && c < 0xDC00 && i + 1 < text.length) { n += 4; ++i; }
    else n += 3;
  }
  return n;
}

/** The problem of text past MAX_INPUT_BYTES, or null: refused before it is copied into the
 *  core, so that a huge string cannot exhaust WebAssembly memory on its way in. */
export function tooLarge(text) {
  if (text.length <= MAX_INPUT_BYTES / 3) return null;
  const bytes = utf8Length(text);
  if (bytes <= MAX_INPUT_BYTES) return null;
  const message = `is larger than 1 MB (the limit is ${MAX_INPUT_BYTES} bytes)`;
  // As the core says it: the command line reads only one byte past the limit.
  const got = `more than ${MAX_INPUT_BYTES} bytes`;
  return { ok: false, path: '$', message, got, text: `$: ${message} (got ${got})` };
}

/** {ok:false, ...} from the core's error JSON. */
export function failure(errorJson) {
  const e = JSON.parse(errorJson);
  return { ok: false, path: e.path, message: e.message, got: e.got, text: e.text };
}

/** The string with lone surrogates replaced by U+FFFD, as UTF-8 encoders (and so files
 *  written from JS) do: the core then sees exactly the bytes a file would hold. */
export function wellFormed(text) {
  return typeof text.toWellFormed === 'function' ? text.toWellFormed()
    : text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A scenario or action as JSON text, or null if it cannot be one. */
export function jsonText(input) {
  if (typeof input === 'string') return wellFormed(input);
  if (input !== null && typeof input === 'object') {
    try {
      const text = JSON.stringify(input);  // escapes lone surrogates itself
      if (typeof text === 'string') return text;
    } catch { /* cycles, BigInt: reported by the caller */ }
  }
  return null;
}

export function notJson(input) {
  const got = input === undefined ? 'undefined' : typeof input === 'bigint' ? String(input)
    : (() => { try { return JSON.stringify(input) ?? String(input); } catch { return String(input); } })();
  return { ok: false, path: '$', message: 'must be JSON text or an object that JSON.stringify accepts',
           got, text: `$: must be JSON text or an object that JSON.stringify accepts (got ${got})` };
}

export function checkTime(name, value) {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name} must be a number of seconds (got ${String(value)})`);
  }
}
