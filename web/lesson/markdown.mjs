// Renders lesson Markdown to sanitized HTML for the lesson page: headings get ids, links are
// rewritten for the site (links.mjs), and each ```lab block becomes an empty slot the page
// fills with a guided experiment. marked does the parsing; DOMPurify cleans the result.
import { Marked } from 'marked';
import DOMPurify from 'dompurify';
import { slugify, siteHref, classifyLink } from './links.mjs';
import { parseLabBlock } from './lab-block.mjs';

/// What DOMPurify keeps: the lab slots' attribute; never styles or forms.
const PURIFY = { ADD_ATTR: ['data-lab-slot'], FORBID_TAGS: ['style', 'form', 'input'] };

const escapeAttr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * Renders `markdown` of the document at `docPath` ("lessons/stateless/lesson.md").
 * Returns {html, labs: [{index, config?, error?}], title} where labs[i] belongs to the element
 * `[data-lab-slot="i"]` in the html. `sanitize(html)` cleans the result (DOMPurify, which needs
 * a DOM; the site build, which renders the repo's own lessons in node, passes its own).
 */
export function renderLesson(markdown, docPath, { extraQuery = '', sanitize = (html) => DOMPurify.sanitize(html, PURIFY) } = {}) {
  const labs = [];
  let title = '';
  const used = new Map();
  const md = new Marked({ gfm: true });
  md.use({
    renderer: {
      code({ text, lang }) {
        if ((lang ?? '').trim() !== 'lab') return false;
        const index = labs.length;
        labs.push({ index, ...parseLabBlock(text) });
        return `<div class="lab-slot" data-lab-slot="${index}"></div>\n`;
      },
      heading({ tokens, depth, text }) {
        const inner = this.parser.parseInline(tokens);
        if (depth === 1 && !title) title = text;
        let id = slugify(text) || 'section';
        const n = used.get(id) ?? 0;
        used.set(id, n + 1);
        if (n) id = `${id}-${n}`;
        return `<h${depth} id="${escapeAttr(id)}">${inner}</h${depth}>\n`;
      },
      // Figures are files beside the lesson ("figures/name.svg"), served under lessons/ next
      // to the page. Anything else (remote images, other types) shows its alt text instead.
      image({ href, title: imageTitle, text, tokens }) {
        const alt = tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : escapeAttr(text);
        const c = classifyLink(docPath, href);
        if (c.type !== 'file' || !/\.svg$/i.test(c.path)) return alt;
        const t = imageTitle ? ` title="${escapeAttr(imageTitle)}"` : '';
        return `<img class="lesson-figure" src="${escapeAttr(siteHref(docPath, href))}" alt="${alt}"${t} loading="lazy" decoding="async">`;
      },
      link({ href, title: linkTitle, tokens }) {
        const inner = this.parser.parseInline(tokens);
        const kind = classifyLink(docPath, href).type;
        const target = siteHref(docPath, href, extraQuery);
        const t = linkTitle ? ` title="${escapeAttr(linkTitle)}"` : '';
        const rel = kind === 'external' ? ' rel="noopener noreferrer" class="source"' : '';
        return `<a href="${escapeAttr(target)}"${t}${rel}>${inner}</a>`;
      },
    },
  });
  const raw = md.parse(markdown);
  const html = sanitize(raw);
  return { html, labs, title };
}
