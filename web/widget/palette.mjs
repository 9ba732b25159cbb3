// Outcome colours, shapes and words shared by the diagram, the legend, the charts and the
// narration, so a request looks and reads the same everywhere. Colours are Okabe-Ito
// (distinguishable with the common colour-vision deficiencies); every outcome also has its own
// shape, so colour is never the only cue.

/// Outcome codes as reported in the trace (Outcome in the lab API), in drawing order.
export const outcomes = [
  { code: 0, key: 'ok', label: 'ok', shape: 'circle', light: '#0072B2', dark: '#56B4E9' },
  { code: 1, key: 'miss', label: 'session miss (logged out)', shape: 'triangle', light: '#B36B00', dark: '#E69F00' },
  { code: 2, key: 'failed', label: 'failed', shape: 'cross', light: '#D55E00', dark: '#FF7F3F' },
  { code: 3, key: 'rejected', label: 'rejected', shape: 'square', light: '#AA4499', dark: '#CC79A7' },
  { code: 4, key: 'denied', label: 'denied (revoked)', shape: 'diamond', light: '#007A5A', dark: '#2DC49A' },
];

/// Colour of an outcome in a theme ('light' | 'dark').
export function outcomeColor(code, theme) {
  const o = outcomes[code] ?? outcomes[0];
  return theme === 'dark' ? o.dark : o.light;
}

/// Chart line colours for the primary (A) and compared (B) run, per theme.
export const runColors = {
  light: { a: '#0072B2', b: '#B36B00' },
  dark: { a: '#56B4E9', b: '#E69F00' },
};

/// SVG markup of an outcome's shape (for the HTML legend), size in CSS pixels.
export function shapeSvg(code, size = 14) {
  const o = outcomes[code] ?? outcomes[0];
  const h = size / 2;
  const r = size * 0.36;
  let body;
  switch (o.shape) {
    case 'triangle':
      body = `<polygon points="${h},${h - r * 1.15} ${h + r * 1.1},${h + r * 0.8} ${h - r * 1.1},${h + r * 0.8}"/>`;
      break;
    case 'square':
      body = `<rect x="${h - r * 0.9}" y="${h - r * 0.9}" width="${r * 1.8}" height="${r * 1.8}"/>`;
      break;
    case 'diamond':
      body = `<polygon points="${h},${h - r * 1.25} ${h + r * 1.05},${h} ${h},${h + r * 1.25} ${h - r * 1.05},${h}"/>`;
      break;
    case 'cross': {
      const w = r * 0.42;
      const a = r * 1.15;
      body = `<polygon points="${h - a},${h - a + w} ${h - a + w},${h - a} ${h},${h - w} ${h + a - w},${h - a} ${h + a},${h - a + w} ${h + w},${h} ${h + a},${h + a - w} ${h + a - w},${h + a} ${h},${h + w} ${h - a + w},${h + a} ${h - a},${h + a - w} ${h - w},${h}"/>`;
      break;
    }
    default:
      body = `<circle cx="${h}" cy="${h}" r="${r}"/>`;
  }
  return `<svg class="shape ${o.key}" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" aria-hidden="true" focusable="false">${body}</svg>`;
}

/// Adds one dot of an outcome's shape to a canvas path (centre x, y; radius r, pixels).
export function traceShape(path, shape, x, y, r) {
  switch (shape) {
    case 'triangle':
      path.moveTo(x, y - r * 1.15);
      path.lineTo(x + r * 1.1, y + r * 0.8);
      path.lineTo(x - r * 1.1, y + r * 0.8);
      path.closePath();
      break;
    case 'square':
      path.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
      break;
    case 'diamond':
      path.moveTo(x, y - r * 1.25);
      path.lineTo(x + r * 1.05, y);
      path.lineTo(x, y + r * 1.25);
      path.lineTo(x - r * 1.05, y);
      path.closePath();
      break;
    case 'cross': {
      const w = r * 0.42;
      const a = r * 1.15;
      path.moveTo(x - a, y - a + w); path.lineTo(x - a + w, y - a); path.lineTo(x, y - w);
      path.lineTo(x + a - w, y - a); path.lineTo(x + a, y - a + w); path.lineTo(x + w, y);
      path.lineTo(x + a, y + a - w); path.lineTo(x + a - w, y + a); path.lineTo(x, y + w);
      path.lineTo(x - a + w, y + a); path.lineTo(x - a, y + a - w); path.lineTo(x - w, y);
      path.closePath();
      break;
    }
    default:
      path.moveTo(x + r, y);
      path.arc(x, y, r, 0, Math.PI * 2);
  }
}

/// The diagram colours of the theme, read from its custom properties on `from` (an element
/// inside the widget, where theme.css defines them); the fallbacks are theme.css's light ones.
export function themeColors(from) {
  const cs = getComputedStyle(from);
  const v = (name, dflt) => cs.getPropertyValue(name).trim() || dflt;
  return {
    fg: v('--sl-fg', '#1b1f24'), muted: v('--sl-muted', '#57606a'), line: v('--sl-line', '#d0d7de'),
    node: v('--sl-node', '#f6f8fa'), border: v('--sl-border', '#6e7781'), dead: v('--sl-dead', '#8c959f'),
    bar: v('--sl-bar', '#0072B2'), queue: v('--sl-queue', '#9a5b00'), bg: v('--sl-bg', '#ffffff'),
    accent: v('--sl-accent', '#0969da'),
  };
}
