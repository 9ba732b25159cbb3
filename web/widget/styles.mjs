// Loads the widget's stylesheets once per page as constructable stylesheets shared by every
// instance (adoptedStyleSheets): no inline <style>, so a host's strict style-src CSP is kept.
const sheets = new Map();

/// Resolves to a CSSStyleSheet for a URL (text fetched once; an unreachable sheet is empty).
export function sheet(url) {
  const key = String(url);
  if (!sheets.has(key)) {
    sheets.set(key, fetch(key)
      .then((r) => (r.ok ? r.text() : ''))
      .catch(() => '')
      .then((text) => {
        const s = new CSSStyleSheet();
        s.replaceSync(text);
        return s;
      }));
  }
  return sheets.get(key);
}

/// The widget's own theme and uPlot's sheet.
export function widgetSheets() {
  return Promise.all([
    sheet(new URL('../vendor/uplot/uPlot.min.css', import.meta.url)),
    sheet(new URL('./theme.css', import.meta.url)),
  ]);
}
