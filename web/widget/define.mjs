// Registers <stateless-lab>. Import this module once (a second import or a second copy of the
// widget on the page is harmless: the first definition stays). Where there is no DOM (a
// worker, node) it defines nothing, so the bundle that holds it also serves the JS API there.
// Each element loads its own core as it connects.
import { StatelessLabElement } from './stateless-lab-element.mjs';

if (globalThis.customElements) StatelessLabElement.define();

export { StatelessLabElement };
