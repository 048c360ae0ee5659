/**
 * Turns untrusted answer HTML into a safe DocumentFragment: only the tags markdown-it emits, no event handlers,
 * no styles, links only to http(s), images only as inline `data:` pictures. Runs before the nodes reach the live
 * document, so a stripped image never starts a request.
 */
import createDOMPurify, { type Config } from 'dompurify';
import { isOpenableHref } from '../protocol/messages';

// A private instance, so hooks added here cannot leak into (or be changed by) other users of DOMPurify.
const purify = createDOMPurify(window);

const inlineImage = /^data:image\/(?:png|gif|jpeg|webp);/i;

/**
 * The MathML KaTeX writes for formulas (see math.ts), with the attributes that lay it out. Not `annotation-xml`, which
 * may hold HTML. `mathcolor` (TeX's \color, \textcolor) only as `isMathColor` allows; not `mathbackground`
 * (\colorbox): the text keeps the theme's colour, which a box of the model's colour could make unreadable.
 */
const MATHML_TAGS = [
  'math', 'semantics', 'annotation', 'mrow', 'mi', 'mn', 'mo', 'ms', 'mtext', 'mspace', 'msup', 'msub', 'msubsup',
  'mfrac', 'msqrt', 'mroot', 'mstyle', 'mpadded', 'mphantom', 'munder', 'mover', 'munderover', 'mtable', 'mtr', 'mtd',
  'mlabeledtr', 'menclose', 'merror',
];
const MATHML_ATTRS = [
  'display', 'xmlns', 'encoding', 'mathvariant', 'displaystyle', 'scriptlevel', 'fence', 'separator', 'stretchy',
  'symmetric', 'largeop', 'movablelimits', 'lspace', 'rspace', 'minsize', 'maxsize', 'accent', 'accentunder',
  'linethickness', 'notation', 'width', 'height', 'depth', 'voffset', 'columnalign', 'columnlines', 'columnspacing',
  'rowalign', 'rowlines', 'rowspacing', 'frame', 'mathcolor',
];

/**
 * A colour as KaTeX passes it on from TeX: a name ("red") or #hex. Anything else (url(), var(), expression(), a
 * second declaration) is dropped, so a formula cannot load or run anything through its colour.
 */
function isMathColor(value: string): boolean {
  if (/^#(?:[\da-f]{3,4}|[\da-f]{6}|[\da-f]{8})$/i.test(value)) return true;
  return /^[a-z]+$/i.test(value) && CSS.supports('color', value);
}

const config: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS: [
    'a', 'blockquote', 'br', 'code', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'img', 'li', 'ol', 'p',
    'pre', 's', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul', ...MATHML_TAGS,
  ],
  ALLOWED_ATTR: ['href', 'src', 'alt', 'title', 'class', 'start', ...MATHML_ATTRS],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
};

purify.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'mathcolor' && !isMathColor(data.attrValue)) data.keepAttr = false;
});

purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName === 'A') {
    const href = node.getAttribute('href');
    // A link the host would refuse to open loses its target; sanitizeToFragment then unwraps it.
    if (href !== null && !isOpenableHref(href)) node.removeAttribute('href');
    return;
  }
  // MathML elements take `href` too; only a link may have one, checked as above.
  node.removeAttribute('href');
  if (node.nodeName === 'IMG') {
    const src = node.getAttribute('src') ?? '';
    if (!inlineImage.test(src)) {
      node.removeAttribute('src');
      node.setAttribute('class', 'blocked-image');
    }
  }
});

/** Sanitized nodes for `html`; links without a target become their plain text, remote images their alt text. */
export function sanitizeToFragment(html: string): DocumentFragment {
  const fragment = purify.sanitize(html, config);
  // Not a dead link that looks clickable; the text keeps its emphasis or code.
  for (const link of fragment.querySelectorAll('a:not([href])')) link.replaceWith(...link.childNodes);
  for (const image of fragment.querySelectorAll('img.blocked-image')) {
    const alt = image.getAttribute('alt');
    image.replaceWith(`[image${alt ? `: ${alt}` : ''}]`);
  }
  return fragment;
}
