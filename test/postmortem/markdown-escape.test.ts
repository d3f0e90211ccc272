import { describe, expect, test } from 'vitest';
import { mdCell, mdCellEscaped, mdTable, mdText } from '../../src/postmortem/markdown-escape.ts';
import { attribute, elementsOf, renderers, tableRows, visibleText } from './rendered-html.ts';

/** Each table row's cells as a reader sees them. */
function tableCells(html: string): string[][] {
  return tableRows(html).map((row) => row.map(visibleText));
}

/** The text of the only heading, as a reader sees it. */
function headingText(html: string): string {
  const headings = elementsOf(html).filter((e) => e.tagName === 'h1');
  expect(headings).toHaveLength(1);
  return visibleText(headings[0]!);
}

describe('mdCell, the research notes §5.1 cases', () => {
  test.each([
    ['a|b', 'a\\|b'],
    ['a\\|b', 'a\\\\\\|b'],
    ['`x|y`', '\\`x\\|y\\`'],
    // Entities, not backslashes: a renderer linking a bare URL would swallow the backslash.
    ['<script>', '&lt;script&gt;'],
    ['a\nb', 'a<br>b'],
    // We leave # and ; alone in cells; escaping & is what keeps the entity from being decoded.
    ['&#124;', '&amp;#124;'],
    ['| leading', '\\| leading'],
    ['---', '---'],
    ['', '—'],
  ])('%j becomes %j', (input, expected) => {
    expect(mdCell(input)).toBe(expected);
  });

  test('emphasis, strikethrough, links and the backslash are escaped; other punctuation is left readable', () => {
    expect(mdCell('*bold* _it_ ~~gone~~ [link](http://x) C:\\tmp (see #ops!)')).toBe(
      '\\*bold\\* \\_it\\_ \\~\\~gone\\~\\~ \\[link\\](<http://x>) C:\\\\tmp (see #ops!)',
    );
  });

  test('an address is an autolink, its inside left as typed, and what follows it in the sentence is not part of it', () => {
    expect(mdCell('see https://x.example/a_b*c, (or https://x.example/Fork_(x))) <https://y.example>')).toBe(
      'see <https://x.example/a_b*c>, (or <https://x.example/Fork_(x)>)) &lt;<https://y.example>&gt;',
    );
  });

  test('an address without a scheme stays as typed while nothing in it needs escaping, else it cannot be linked', () => {
    expect(mdCell('www.example.com/status')).toBe('www.example.com/status');
    expect(mdCell('www.example.com/status_page')).toBe('www\\.example.com/status\\_page');
  });

  test('a scheme with no address after it is written so that no renderer starts a link there', () => {
    expect(mdCell('http://|x.example/*b*')).toBe('http:\\//\\|x.example/\\*b\\*');
  });

  test('CR LF and CR are line breaks, spaces around each line are trimmed, and a tab is a space', () => {
    expect(mdCell('  one  \r\n  two\rthree\tfour ')).toBe('one<br>two<br>three four');
  });

  test('NUL becomes U+FFFD; other control characters and the invisible U+FEFF vanish', () => {
    expect(mdCell('a\u0000b\u0007c\u001bd\u007fe\ufefff')).toBe('a\uFFFDbcdef');
  });

  test('the Unicode line and paragraph separators are line breaks too, so marked keeps the row whole', () => {
    expect(mdCell('one\u2028two\u2029three')).toBe('one<br>two<br>three');
  });

  test('a cell of only spaces is empty, shown as —', () => {
    expect(mdCell('   ')).toBe('—');
  });
});

describe('mdText', () => {
  test('escapes what mdCell escapes and # as well', () => {
    expect(mdText('Checkout *down* | #3 <b> & co')).toBe('Checkout \\*down\\* \\| \\#3 &lt;b&gt; &amp; co');
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
    const rows = tableCells(render(mdTable(['Who', 'Event'], [['dana', input], ['sam', 'after']])));
    expect(rows).toEqual([
      ['Who', 'Event'],
      ['dana', input],
      ['sam', 'after'],
    ]);
  });

  test('user text that looks like HTML is shown as text, not run as a tag', () => {
    const html = render(mdTable(['Event'], [['<script>alert(1)</script>']]));
    expect(tableCells(html)[1]).toEqual(['<script>alert(1)</script>']);
    expect(elementsOf(html).map((e) => e.tagName)).not.toContain('script');
  });

  test('emphasis and link syntax stay literal: no <em>, <strong>, <del> or a link named by the user', () => {
    const html = render(mdTable(['Event'], [['*bold* __strong__ ~~del~~ [link](x)']]));
    expect(elementsOf(html).map((e) => e.tagName)).toEqual(['table', 'thead', 'tr', 'th', 'tbody', 'tr', 'td']);
  });

  test('a line break in user text is a <br> inside the cell, not the end of the table', () => {
    const html = render(mdTable(['Who', 'Event'], [['dana', 'rolled back\nerror rate falling'], ['sam', 'after']]));
    expect(tableCells(html)).toEqual([
      ['Who', 'Event'],
      ['dana', 'rolled back\nerror rate falling'],
      ['sam', 'after'],
    ]);
    expect(tableRows(html)[1]![1]!.childNodes.map((n) => n.nodeName)).toEqual(['#text', 'br', '#text']);
  });

  test('an empty cell shows —', () => {
    expect(tableCells(render(mdTable(['Owner', 'Due'], [['', 'tomorrow']])))[1]).toEqual(['—', 'tomorrow']);
  });

  test('header cells are escaped like body cells', () => {
    expect(tableCells(render(mdTable(['A|B', '*C*'], [['1', '2']])))[0]).toEqual(['A|B', '*C*']);
  });

  test('a heading built with mdText reads as typed and stays one heading', () => {
    const title = 'Checkout *down* | <b>502</b> [x](y) #';
    expect(headingText(render(`# INC-1: ${mdText(title)}\n\nafter`))).toBe(`INC-1: ${title}`);
  });

  test('a heading built with mdText from two lines stays one heading', () => {
    const html = render(`# INC-1: ${mdText('Checkout down\n# not a heading')}`);
    expect(headingText(html)).toBe('INC-1: Checkout down # not a heading');
  });

  test.each([
    'https://wiki.example.com/db_failover_steps',
    'https://grafana.example.com/d/abc?from=now-1h&to=now',
    'https://people.example.com/~dana',
    'https://en.wikipedia.org/wiki/Fork_(software)',
    'ftp://files.example.com/dump.tar.gz',
  ])('the address %s reads as typed and links to itself', (url) => {
    const html = render(mdTable(['Event'], [[`runbook ${url}.`]]));
    expect(tableCells(html)[1]).toEqual([`runbook ${url}.`]);
    const links = elementsOf(html).filter((e) => e.tagName === 'a');
    expect(links.map((a) => [attribute(a, 'href'), visibleText(a)])).toEqual([[url, url]]);
  });

  test.each(['www.example.com/status', 'www.example.com/status_page'])(
    'the address %s reads as typed, and a renderer that links it links all of it',
    (url) => {
      const html = render(mdTable(['Event'], [[`status on ${url}.`]]));
      expect(tableCells(html)[1]).toEqual([`status on ${url}.`]);
      for (const a of elementsOf(html).filter((e) => e.tagName === 'a')) {
        expect([attribute(a, 'href'), visibleText(a)]).toEqual([`http://${url}`, url]);
      }
    },
  );
});

describe('the plain-text shortcut of mdCell', () => {
  test('gives what the full escaping gives, for any text', async () => {
    const { default: fc } = await import('fast-check');
    const pieces = fc.constantFrom(...'ab 09.,:/-\\`*_~[]|<>&#()!\t\n\r\u0000\u007f\u2028\ufeff\u00a0', 'http://', 'https://x', 'ftp://', 'www.', 'WWW.', 'HtTp://', 'a://', 'xhttps://');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }).map((p) => p.join('')), (text) => {
        expect(mdCell(text)).toBe(mdCellEscaped(text));
      }),
      { numRuns: 3000 },
    );
  });
});
