// Registers <stateless-lab>. Import this module once (a second import or a second copy of the
// widget on the page is harmless: the first definition stays).
import { StatelessLabElement, loadLabOnce } from './stateless-lab-element.mjs';

if (!customElements.get('stateless-lab')) customElements.define('stateless-lab', StatelessLabElement);
// A page that already holds the element starts fetching and compiling the core now.
if (document.querySelector('stateless-lab')) loadLabOnce().catch(() => {});

export { StatelessLabElement };
