import MarkdownIt from 'markdown-it';
import { marked } from 'marked';
import { describe, expect, test } from 'vitest';
import { mdCell, mdTable, mdText } from '../../src/postmortem/markdown-escape.ts';

// HTML on, as GitHub renders it: the `<br>` we emit for a newline must work, and user text that
// looks like HTML must still come out as text.
const markdownIt = new MarkdownIt({ html: true });

const renderers: { name: string; render(markdown: string): string }[] = [
  { name: 'markdown-it', render: (m) => markdownIt.render(m) },
  { name: 'marked', render: (m) => marked.parse(m, { async: false }) },
];

/** Each table row's cells, as inner HTML. */
function tableCells(html: string): string[][] {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1]!),
  );
}

/**
 * What a reader sees in a cell: line breaks as newlines, entities decoded, a bare URL that GFM
 * made clickable read as its text. Any other tag is left in, so a comparison with the input shows it.
 */
function visibleText(html: string): string {
  return html
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<a href="([^"]*)">([^<]*)<\/a>/g, (tag, href: string, text: string) => (href === text ? text : tag))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The text of a heading, as a reader sees it. */
function headingText(html: string): string {
  const m = /<h1>([\s\S]*?)<\/h1>/.exec(html);
  if (!m) throw new Error(`no heading in ${html}`);
  return visibleText(m[1]!);
}

describe('mdCell, the research notes §5.1 cases', () => {
  test.each([
    ['a|b', 'a\\|b'],
    ['a\\|b', 'a\\\\\\|b'],
    ['`x|y`', '\\`x\\|y\\`'],
    ['<script>', '\\<script\\>'],
    ['a\nb', 'a<br>b'],
    // We leave # and ; alone in cells; escaping & is what keeps the entity from being decoded.
    ['&#124;', '\\&#124;'],
    ['| leading', '\\| leading'],
    ['---', '---'],
    ['', '—'],
  ])('%j becomes %j', (input, expected) => {
    expect(mdCell(input)).toBe(expected);
  });

  test('emphasis, strikethrough, links and the backslash are escaped; other punctuation is left readable', () => {
    expect(mdCell('*bold* _it_ ~~gone~~ [link](http://x) C:\\tmp (see #ops!)')).toBe(
      '\\*bold\\* \\_it\\_ \\~\\~gone\\~\\~ \\[link\\](http://x) C:\\\\tmp (see #ops!)',
    );
  });

  test('CR LF and CR are line breaks, spaces around each line are trimmed, and a tab is a space', () => {
    expect(mdCell('  one  \r\n  two\rthree\tfour ')).toBe('one<br>two<br>three four');
  });

  test('NUL becomes U+FFFD and other control characters vanish', () => {
    expect(mdCell('a\u0000b\u0007c\u001bd\u007fe')).toBe('a\uFFFDbcde');
  });

  test('a cell of only spaces is empty, shown as —', () => {
    expect(mdCell('   ')).toBe('—');
  });
});

describe('mdText', () => {
  test('escapes what mdCell escapes and # as well', () => {
    expect(mdText('Checkout *down* | #3 <b>')).toBe('Checkout \\*down\\* \\| \\#3 \\<b\\>');
  });

  test('line breaks and the spaces around them become one space', () => {
    expect(mdText('Checkout down\r\n   since 23:40\nagain')).toBe('Checkout down since 23:40 again');
  });

  test('NUL becomes U+FFFD and other control characters vanish', () => {
    expect(mdText('a\u0000b\u0007c')).toBe('a\uFFFDbc');
  });
});

describe.each(renderers)('a table built with mdTable, rendered by $name', ({ render }) => {
  const nasty = [
    'a|b',
    'a\\|b',
    '`x|y`',
    '\\`x|y\\`',
    '| leading',
    'trailing |',
    'a | b | c',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<br>',
    '*bold* and **strong**',
    '_under_ and __double__',
    '~~struck~~',
    '[link](http://x)',
    '![image](http://x/i.png)',
    '&#124; &amp; &lt;',
    '---',
    ':--- | ---:',
    'C:\\temp\\',
    '\\',
    '#tag and # heading',
    '> not a quote',
    '1. not a list',
  ];

  test.each(nasty)('the cell %j keeps the table at two cells and reads exactly as typed', (input) => {
    const html = render(mdTable(['Who', 'Event'], [['dana', input], ['sam', 'after']]));
    const rows = tableCells(html);
    expect(rows.map((r) => r.length)).toEqual([2, 2, 2]);
    expect(visibleText(rows[1]![1]!)).toBe(input);
    expect(visibleText(rows[2]![1]!)).toBe('after');
  });

  test('user text that looks like HTML is shown as text, not run as a tag', () => {
    const html = render(mdTable(['Event'], [['<script>alert(1)</script>']]));
    expect(tableCells(html)[1]).toEqual(['&lt;script&gt;alert(1)&lt;/script&gt;']);
    expect(html).not.toContain('<script');
  });

  test('emphasis and link syntax stay literal: no <em>, <strong>, <del> or a link named by the user', () => {
    const html = render(mdTable(['Event'], [['*bold* __strong__ ~~del~~ [link](http://x)']]));
    expect(html).not.toMatch(/<(em|strong|del|s)>/);
    expect(html).not.toMatch(/<a [^>]*>link<\/a>/);
  });

  test('a line break in user text is a <br> inside the cell, not the end of the table', () => {
    const html = render(mdTable(['Who', 'Event'], [['dana', 'rolled back\nerror rate falling'], ['sam', 'after']]));
    const rows = tableCells(html);
    expect(rows).toHaveLength(3);
    expect(rows[1]![1]).toBe('rolled back<br>error rate falling');
    expect(rows[2]).toEqual(['sam', 'after']);
  });

  test('an empty cell shows —', () => {
    expect(tableCells(render(mdTable(['Owner', 'Due'], [['', 'tomorrow']])))[1]).toEqual(['—', 'tomorrow']);
  });

  test('header cells are escaped like body cells', () => {
    expect(tableCells(render(mdTable(['A|B', '*C*'], [['1', '2']])))[0]!.map(visibleText)).toEqual(['A|B', '*C*']);
  });

  test('a heading built with mdText reads as typed and stays one heading', () => {
    const title = 'Checkout *down* | <b>502</b> [x](y) #';
    const html = render(`# INC-1: ${mdText(title)}\n\nafter`);
    expect(headingText(html)).toBe(`INC-1: ${title}`);
    expect(html.match(/<h1>/g)).toHaveLength(1);
  });

  test('a heading built with mdText from two lines stays one heading', () => {
    const html = render(`# INC-1: ${mdText('Checkout down\n# not a heading')}`);
    expect(headingText(html)).toBe('INC-1: Checkout down # not a heading');
  });
});

describe('a URL in user text, rendered by marked (GFM autolinks on, as on GitHub)', () => {
  test.each([
    'https://wiki.example.com/db_failover_steps',
    'https://grafana.example.com/d/abc?from=now-1h&to=now',
    'https://people.example.com/~dana',
  ])('the link %s keeps its address and its text', (url) => {
    const html = marked.parse(mdTable(['Event'], [[`runbook ${url}`]]), { async: false });
    const cell = tableCells(html)[1]![0]!;
    expect(visibleText(/href="([^"]*)"/.exec(cell)?.[1] ?? 'no link')).toBe(url);
    expect(visibleText(cell)).toBe(`runbook ${url}`);
  });
});
