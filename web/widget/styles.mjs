// The widget's stylesheets, built once per page as constructable stylesheets shared by every
// instance (adoptedStyleSheets): no inline <style> and no stylesheet request, so a host's
// strict style-src CSP is kept and the widget needs nothing beside its one script. The CSS
// text is bundled into the script (the site build loads .css as text).
import uplotCss from 'uplot/dist/uPlot.min.css';
import themeCss from './theme.css';
import { nextTask } from './next-task.mjs';

let sheets = null;

function built() {
  sheets ??= [uplotCss, themeCss].map((text) => {
    const s = new CSSStyleSheet();
    s.replaceSync(text);
    return s;
  });
  return sheets;
}

/// Resolves to the widget's sheets: uPlot's, then the widget's own theme. The first call
/// parses them in a task of their own, not in the task that loaded the page's script.
export function widgetSheets() {
  return sheets ? Promise.resolve(sheets) : nextTask().then(built);
}

/// Adds uPlot's sheet to a document once, for charts drawn outside a widget (a sweep panel).
export function adoptChartSheet(doc = document) {
  const [chart] = built();
  if (!doc.adoptedStyleSheets.includes(chart)) doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, chart];
}
