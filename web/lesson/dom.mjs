// A small element builder shared by the lesson pages: h('p', {class: 'x', text: 'hi'}, child).
// `class` sets className, `text` sets textContent, anything else is an attribute; null and
// undefined children are skipped.
export function h(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}
