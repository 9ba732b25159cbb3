// Registers <stateless-lab>. Import this module once (a second import or a second copy of the
// widget on the page is harmless: the first definition stays). Where there is no DOM (a
// worker, node) it defines nothing, so the bundle that holds it also serves the JS API there.
import { StatelessLabElement, loadLabOnce } from './stateless-lab-element.mjs';

if (globalThis.customElements) {
  StatelessLabElement.define();
  // A page that already holds the element starts fetching and compiling the core now.
  if (document.querySelector('stateless-lab')) loadLabOnce().catch(() => {});
}

export { StatelessLabElement };
