// Declarations of `stateless-lab/element` (build/site/stateless-lab.js): importing it defines
// <stateless-lab>; it also exports the JS API of `stateless-lab`.
// This file is CommonJS to TypeScript (a .d.ts in a package without "type": "module"), and
// TypeScript (moduleResolution node16 or nodenext) refuses a CommonJS file's import of an ES
// module's declarations: the API's types come from stateless-lab.d.ts, not its .d.mts entry.
import type { Action, Lab, Policy, Results, SessionMode } from '../lab/stateless-lab.js';
export * from '../lab/stateless-lab.js';

/** Where a problem came from and what is wrong: shown in the widget and reported in events. */
export interface WidgetProblem { what: string; where: string; message: string }

/** The view as fields: what a link must carry to reproduce it. */
export interface WidgetState {
  scenario: string | null; compare: string | null; seed: number | null; speed: number;
  /** Simulated seconds now, and at the end of the run. */
  time: number; end: number | null; playing: boolean;
  /** The balancer policy and session mode in force now in the primary simulation. */
  policy: Policy | null; mode: SessionMode | null;
  /** The live actions applied so far, each with its time. */
  actions: Array<Action & { at_s: number }>;
}

/**
 * <stateless-lab>: attributes are its API (scenario, compare, seed, speed, autoplay, controls,
 * time, actions, sync-url; see the README). Events: stateless-lab:ready, :state, :action,
 * :finished, :error (bubbling, composed).
 */
export declare class StatelessLabElement extends HTMLElement {
  /** Registers the element as `tag` in `registry` (default: 'stateless-lab' in customElements). */
  static define(tag?: string, registry?: CustomElementRegistry): typeof StatelessLabElement;
  static readonly observedAttributes: string[];
  /** Resolves when the current view is built (or failed to build: see `error`). */
  readonly ready: Promise<void>;
  /** Simulated seconds per wall second. */
  speed: number;
  readonly playing: boolean;
  /** Why the simulation could not start, or null. */
  readonly error: WidgetProblem | null;
  /** Every problem shown: the fatal one, if any, and warnings about ignored input. */
  readonly errors: WidgetProblem[];
  /** performance.now() when the first frame was drawn; null before. */
  readonly firstFrameAt: number | null;
  play(): void;
  pause(): void;
  /** Advances by `seconds` of simulated time (paused afterwards); resolves once drawn. */
  step(seconds?: number): Promise<void>;
  /** Back to time 0, paused; resolves once drawn. */
  reset(): Promise<void>;
  /** Goes to simulated time t (seconds). A far jump runs in slices between tasks with a
   *  progress bar and Cancel; resolves to true once there, false if it was cancelled or
   *  replaced by a newer jump. */
  seek(t: number): Promise<boolean>;
  /** Applies a live action now (during a jump: where the jump lands); resolves to the primary
   *  simulation's answer, {ok: true, server?} or {ok: false, path, message, got}. */
  inject(action: Action): Promise<{ ok: true; server?: number } | { ok: false; path: string; message: string; got: unknown }>;
  /** Runs to the end without animation; resolves to the primary's results. */
  runToEnd(): Promise<Results>;
  /** Results of the primary run as last drawn (null before ready): the numbers on screen, taken
   *  at one simulated time, with the series received so far; runToEnd() resolves to the whole. */
  results(): Results | null;
  /** @internal For tests: the live objects of the core that runs this widget's simulations (its
   *  worker's, or its own in the page), after every request made before; none once removed. */
  liveObjects(): Promise<{ simulations: number; [kind: string]: number }>;
  readonly compareResults: Results | null;
  readonly state: WidgetState;
  readonly stateQuery: string;
}

/** The lab API shared with the widgets on this page, loaded once. */
export declare function loadLabOnce(): Promise<Lab>;

declare global {
  interface HTMLElementTagNameMap { 'stateless-lab': StatelessLabElement }
}
