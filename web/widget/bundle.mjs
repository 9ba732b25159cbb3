// The entry of stateless-lab.js, the one module an author includes: it defines
// <stateless-lab> and exports the JS API, sweeps and the sweep panel, so a page that also
// scripts the core shares the widget's module instance. The site's own pages import these
// modules from it rather than bundling copies (scripts/build-site.mjs lists them and checks
// that every name a page imports is exported here).
export * from './define.mjs';
export * from './stateless-lab-element.mjs';
export * from '../lab/stateless-lab.mjs';
export * from '../lab/sweep.mjs';
export * from './sweep-panel.mjs';
