// The widget's element builder: h('p', {class: 'x', 'aria-live': 'polite'}, child, 'text').
// `class` sets className, anything else is an attribute.
export function h(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}
