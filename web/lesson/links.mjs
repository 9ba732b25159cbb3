// Links inside lesson Markdown are written as relative file paths, so they also work when the
// files are read in the repository: "../sticky-sessions/lesson.md", "../glossary/session.md",
// "#a-heading". On the site they become lesson.html?lesson=... / lesson.html?glossary=....
// Shared by the lesson page and the content tests (which check that every link resolves).

/// The id a heading gets: lower case, runs of anything but letters and digits become "-".
export function slugify(text) {
  return String(text).toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/// Resolves a relative path against a document path ("lessons/stateless/lesson.md"); null if
/// it climbs above the root.
export function resolveRelative(docPath, rel) {
  const parts = docPath.split('/').slice(0, -1);
  for (const p of rel.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (!parts.length) return null;
      parts.pop();
    } else parts.push(p);
  }
  return parts.join('/');
}

/**
 * What a link in the document at `docPath` points to:
 * {type: 'external', url} | {type: 'anchor', anchor} |
 * {type: 'lesson', slug, anchor} | {type: 'glossary', slug, anchor} |
 * {type: 'file', path, anchor} (another file in lessons/, e.g. a scenario) |
 * {type: 'invalid', reason}.
 */
export function classifyLink(docPath, href) {
  if (typeof href !== 'string' || href === '') return { type: 'invalid', reason: 'empty link' };
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) {
    if (/^https?:\/\//i.test(href)) return { type: 'external', url: href };
    if (/^mailto:/i.test(href)) return { type: 'external', url: href };
    return { type: 'invalid', reason: `scheme not allowed in ${href}` };
  }
  if (href.startsWith('//') || href.startsWith('/')) return { type: 'invalid', reason: `use a relative path instead of ${href}` };
  const hash = href.indexOf('#');
  const path = hash >= 0 ? href.slice(0, hash) : href;
  const anchor = hash >= 0 ? safeDecode(href.slice(hash + 1)) : '';
  if (path === '') return { type: 'anchor', anchor };
  const target = resolveRelative(docPath, path);
  if (target === null) return { type: 'invalid', reason: `${href} leaves the lessons folder` };
  let m = /^lessons\/glossary\/([a-z0-9-]+)\.md$/.exec(target);
  if (m) return { type: 'glossary', slug: m[1], anchor, path: target };
  m = /^lessons\/([a-z0-9-]+)\/lesson\.md$/.exec(target);
  if (m) return { type: 'lesson', slug: m[1], anchor, path: target };
  if (target.startsWith('lessons/')) return { type: 'file', path: target, anchor };
  return { type: 'invalid', reason: `${href} points outside the lessons folder` };
}

/// The href a link gets on the site. `extraQuery` (e.g. "embed=1") is kept on internal links.
export function siteHref(docPath, href, extraQuery = '') {
  const c = classifyLink(docPath, href);
  const q = extraQuery ? `&${extraQuery}` : '';
  const frag = c.anchor ? `#${encodeURIComponent(c.anchor)}` : '';
  switch (c.type) {
    case 'external': return c.url;
    case 'anchor': return `#${encodeURIComponent(c.anchor)}`;
    case 'lesson': return `lesson.html?lesson=${c.slug}${q}${frag}`;
    case 'glossary': return `lesson.html?glossary=${c.slug}${q}${frag}`;
    case 'file': return `${c.path}${frag}`;  // lessons/ is served next to lesson.html
    default: return '#';
  }
}

/// decodeURIComponent, or '' for text that is not valid percent-encoding (a hand-typed or cut
/// link must not stop a page).
export function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}
