// Runs inside the page (page.evaluate), so it is plain JavaScript: tsx would wrap TypeScript
// functions in helpers the browser does not have. Returns the layout problems of the current
// screen as { check, detail } objects; the screen test names the screen and width around them.
(() => {
  const problems = [];
  const add = (check, detail) => problems.push({ check, detail });
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} "${text}"`;
  };
  // How many lines a range of text occupies: client rects whose tops lie below the bottom of the line before.
  const linesOf = (range) => {
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0).sort((a, b) => a.top - b.top);
    let lines = 0;
    let bottom = -Infinity;
    for (const r of rects) {
      if (r.top >= bottom - 2) {
        lines += 1;
        bottom = r.bottom;
      } else bottom = Math.max(bottom, r.bottom);
    }
    return lines;
  };
  const textNodes = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const out = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent.trim()) out.push(n);
    return out;
  };

  // 1. No horizontal scroll, of the page or of a box inside it (a table that only fits when swiped).
  const page = document.scrollingElement;
  if (page.scrollWidth > innerWidth) add('scroll', `page is ${page.scrollWidth}px wide in a ${innerWidth}px window`);
  for (const el of document.querySelectorAll('body *')) {
    const s = getComputedStyle(el);
    if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1 && visible(el)) {
      add('scroll', `${describe(el)} scrolls sideways (${el.scrollWidth}px in ${el.clientWidth}px)`);
    }
  }

  // 2. No word broken inside, in table cells and buttons: each word (Intl.Segmenter, which knows
  //    Japanese words such as パスワード) must lie on one line. A cell narrower than its longest word breaks it.
  const segmenter = new Intl.Segmenter(document.documentElement.lang || 'ja', { granularity: 'word' });
  for (const cell of document.querySelectorAll('td, th, button, a.button, label, h1, h2, h3, nav a')) {
    if (!visible(cell)) continue;
    for (const node of textNodes(cell)) {
      // An e-mail address or a URL is not a word: it may break anywhere rather than widen the page.
      if (/@|:\/\//.test(node.textContent)) continue;
      for (const seg of segmenter.segment(node.textContent)) {
        if (!seg.isWordLike || seg.segment.length < 2) continue;
        const range = document.createRange();
        range.setStart(node, seg.index);
        range.setEnd(node, seg.index + seg.segment.length);
        if (linesOf(range) > 1) add('word', `"${seg.segment}" is broken across lines in ${describe(cell)}`);
      }
    }
  }

  // 3. Every button's label on one line.
  for (const b of document.querySelectorAll('button, a.button, input[type=submit]')) {
    if (!visible(b)) continue;
    const range = document.createRange();
    range.selectNodeContents(b);
    const lines = b.tagName === 'INPUT' ? 1 : linesOf(range);
    if (lines > 1) add('button', `${describe(b)} takes ${lines} lines`);
    const r = b.getBoundingClientRect();
    if (r.left < -0.5 || r.right > innerWidth + 0.5) add('button', `${describe(b)} runs off the screen (${Math.round(r.left)}–${Math.round(r.right)}px)`);
  }

  // 4. Nothing interactive overlaps anything else interactive.
  const interactive = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')].filter(visible);
  const boxes = interactive.map((el) => ({ el, r: el.getBoundingClientRect() }));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w > 1 && h > 1) add('overlap', `${describe(a.el)} overlaps ${describe(b.el)} (${Math.round(w)}×${Math.round(h)}px)`);
    }
  }
  return problems;
})();
