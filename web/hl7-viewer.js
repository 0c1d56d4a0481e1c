// <hl7-viewer>: HL7 v2 messages in documentation pages, turned into live, annotated viewers in
// the reader's browser. Nothing leaves the page: the message is parsed, named and validated by
// pipehat's WebAssembly, loaded from beside this file.
//
//   <script type="module" src="/hl7/hl7-viewer.js"></script>
//   <pre class="hl7">MSH|^~\&|…</pre>            upgraded automatically (readable without JS)
//   <hl7-viewer version="2.5.1" panels="structure findings">MSH|^~\&|…</hl7-viewer>
//   <hl7-viewer src="examples/adt-a01.hl7"></hl7-viewer>   (same origin only)
//
// <meta name="hl7-viewer" content="pre.language-hl7"> picks another selector for the automatic
// upgrade ("off" turns it off); `upgrade(selector, root)` does it by hand.

const base = new URL('.', import.meta.url);
const ATTRIBUTES = ['src', 'version', 'panels', 'validate', 'readonly', 'height', 'theme'];

let loading;
/** pipehat's wasm, loaded once for every viewer of the page, on first use. */
function wasm() {
  loading ??= import(new URL('web.js', base).href).then(async (module) => {
    await module.default({ module_or_path: new URL('web_bg.wasm', base) });
    return module;
  });
  return loading;
}

/** A message as written in a page: no leading blank line, no common indentation. */
function dedent(text) {
  const lines = text.replace(/\r\n?/g, '\n').replace(/^\s*\n/, '').replace(/\s+$/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)[0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(common)).join('\n');
}

/** The `<hl7-viewer>` element. */
export class HL7ViewerElement extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

  #viewer = null;
  #observer = null;
  #generation = 0;

  connectedCallback() {
    if (this.#observer || this.#viewer) return;
    // Lazy: nothing is loaded until the viewer comes near the screen.
    this.#observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        this.#observer?.disconnect();
        this.#observer = null;
        this.#mount();
      },
      { rootMargin: '200px' },
    );
    this.#observer.observe(this);
  }

  disconnectedCallback() {
    this.#observer?.disconnect();
    this.#observer = null;
    this.#unmount();
  }

  attributeChangedCallback(name, before, after) {
    if (before !== after && this.#viewer) {
      this.#unmount();
      this.#mount();
    }
  }

  /** Whether a viewer is mounted (for tests and tools). */
  get mounted() {
    return this.#viewer !== null;
  }

  async #text() {
    const src = this.getAttribute('src');
    if (src === null) return dedent(this.textContent ?? '');
    const url = new URL(src, document.baseURI);
    if (url.origin !== location.origin) {
      throw new Error(`hl7-viewer: src must be on this site (${location.origin}), not ${url.origin}`);
    }
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`hl7-viewer: ${url.pathname}: ${response.status}`);
    // Bytes, decoded by each message's MSH-18 in the wasm (an `8859/1` file is Latin-1, which
    // `response.text()` would read as UTF-8).
    return new Uint8Array(await response.arrayBuffer());
  }

  async #mount() {
    const generation = ++this.#generation;
    let text;
    let module;
    try {
      text = await this.#text();
      module = await wasm();
      if (text instanceof Uint8Array) text = module.decodeFile(text);
    } catch (error) {
      console.error(error);
      return;
    }
    if (generation !== this.#generation || !this.isConnected) return;
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = new URL('style.css', base).href;
    const container = document.createElement('div');
    const theme = this.getAttribute('theme');
    container.className = `host theme-${theme === 'light' || theme === 'dark' ? theme : 'auto'}`;
    root.replaceChildren(style, container);
    this.#viewer = module.mountViewer(
      container,
      text,
      this.getAttribute('version') ?? undefined,
      this.getAttribute('panels') ?? 'structure findings',
      this.getAttribute('validate') !== 'off',
      this.hasAttribute('readonly'),
      this.getAttribute('height') ?? undefined,
    );
  }

  #unmount() {
    this.#generation++;
    this.#viewer?.free();
    this.#viewer = null;
    this.shadowRoot?.replaceChildren();
  }
}

/** Wraps each element matching `selector` under `root` in an `<hl7-viewer>` (its `data-`
 * attributes become the viewer's). The element stays inside, readable until the viewer shows. */
export function upgrade(selector = 'pre.hl7', root = document) {
  for (const element of root.querySelectorAll(selector)) {
    if (element.closest('hl7-viewer')) continue;
    const viewer = document.createElement('hl7-viewer');
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(`data-${name}`);
      if (value !== null) viewer.setAttribute(name, value);
    }
    element.replaceWith(viewer);
    viewer.append(element);
  }
}

if (!customElements.get('hl7-viewer')) customElements.define('hl7-viewer', HL7ViewerElement);
const selector = document.querySelector('meta[name="hl7-viewer"]')?.content?.trim() || 'pre.hl7';
if (selector !== 'off') upgrade(selector);
