// The entry of stateless-lab.js, the one module an author includes: it defines
// <stateless-lab> and exports the JS API, so a page that also scripts the core shares the
// widget's module instance. The site's own pages import it too rather than bundling a copy.
export { StatelessLabElement } from './define.mjs';
export { loadLabOnce } from './stateless-lab-element.mjs';
export * from '../lab/stateless-lab.mjs';
