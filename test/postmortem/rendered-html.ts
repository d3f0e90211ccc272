import MarkdownIt from 'markdown-it';
import { marked } from 'marked';
import { parseFragment, type DefaultTreeAdapterTypes } from 'parse5';

type Node = DefaultTreeAdapterTypes.Node;
export type Element = DefaultTreeAdapterTypes.Element;

/**
 * The renderers a draft must be safe in: marked as it comes (GFM, bare URLs linked), and
 * markdown-it with raw HTML allowed and bare URLs linked (linkify), its most permissive usual setup.
 * HTML on is also what makes the `<br>` we write for a newline work.
 */
const markdownIt = new MarkdownIt({ html: true, linkify: true });
/**
 * The same, but showing a linked address as the Markdown spells it. markdown-it shows it
 * normalised (percent-escapes decoded, an `xn--` host in Unicode, brackets or an empty user
 * name dropped from the host), which is its choice, not a change to what was typed.
 */
const markdownItAsWritten = new MarkdownIt({ html: true, linkify: true });
markdownItAsWritten.normalizeLinkText = (url) => url;

const renderMarked = (markdown: string) => marked.parse(markdown, { async: false });

export const renderers: { name: string; render(markdown: string): string; renderAsWritten(markdown: string): string }[] = [
  { name: 'marked', render: renderMarked, renderAsWritten: renderMarked },
  { name: 'markdown-it', render: (m) => markdownIt.render(m), renderAsWritten: (m) => markdownItAsWritten.render(m) },
];

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function childrenOf(node: Node): Node[] {
  return 'childNodes' in node ? node.childNodes : [];
}

/** The HTML as a browser would build it (parse5 follows the HTML standard), every element in document order. */
export function elementsOf(html: string): Element[] {
  const out: Element[] = [];
  const walk = (node: Node) => {
    if (isElement(node)) out.push(node);
    childrenOf(node).forEach(walk);
  };
  walk(parseFragment(html));
  return out;
}

/** What a reader sees: the text, with `<br>` as a newline. */
export function visibleText(node: Node): string {
  if (node.nodeName === '#text' && 'value' in node) return node.value;
  if (isElement(node) && node.tagName === 'br') return '\n';
  return childrenOf(node).map(visibleText).join('');
}

/** Each table row's cells, in document order. */
export function tableRows(html: string): Element[][] {
  return elementsOf(html)
    .filter((e) => e.tagName === 'tr')
    .map((tr) => tr.childNodes.filter(isElement).filter((c) => c.tagName === 'td' || c.tagName === 'th'));
}

export function attribute(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}
