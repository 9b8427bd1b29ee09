// A tiny element builder: no framework, no innerHTML (the CSP forbids inline code and this keeps text as text).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(target, ...children) {
  target.replaceChildren();
  append(target, children);
}

/** A labelled input: the label is tied to the control so screen readers and axe agree. */
let fieldSeq = 0;
export function field(label, attrs, hint) {
  const id = attrs.id ?? `f${++fieldSeq}`;
  const hintId = hint ? `${id}-hint` : undefined;
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('span', { id: hintId, class: 'muted small' }, hint) : null,
    h(attrs.tag ?? 'input', { ...attrs, tag: undefined, id, 'aria-describedby': hintId }));
}
