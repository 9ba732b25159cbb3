// Type declarations for web/lab/stateless-lab.mjs, the JavaScript API of Stateless Lab.
// Times are simulated seconds unless a name says otherwise.

// Simulations are disposable (`using sim = lab.create(...)`): Symbol.dispose comes from this
// library, which a project on an older `lib` does not include by itself (TypeScript 5.2+).
/// <reference lib="esnext.disposable" />

// The names the core accepts and reports (Policy, SessionMode, ActionName, ... and Vocabulary)
// are generated from the core's tables by the build (scripts/vocabulary-dts.mjs), so that a
// name added to the core reaches these types with no edit here.
import type {
  ActionName, CheckpointMode, Distribution, KindValues, OutcomeValues, Policy, ReasonValues,
  SessionMode, StreamActionName, StreamField, StreamKindValues, StreamOperator, Vocabulary,
} from './core/vocabulary.js';
export * from './core/vocabulary.js';

/** Trace node ids; servers are 0..n-1. */
export declare const Node: Readonly<{ USERS: -1; BALANCER: -2; STORE: -3 }>;
/** What a trace event shows (Trace.kind). */
export declare const Kind: KindValues;
/** How a request is faring (Trace.outcome). */
export declare const Outcome: OutcomeValues;
/** Bits of Trace.flags. WARM: the request arrived after warmup_s. */
export declare const Flag: Readonly<{ TOKEN: 1; REVOKED: 2; WARM: 4 }>;
/** Trace.detail of REJECTED and FAILED events. */
export declare const Reason: ReasonValues;
/** Trace.detail of ACTION events indexes this list (VOCABULARY.actions). */
export declare const ACTIONS: Vocabulary['actions'];
/** The core's name tables (wasm/vocabulary.h), each indexed by the core's own number. */
export declare const VOCABULARY: Vocabulary;

/** Stream model: what a trace event shows (StreamTrace.kind). */
export declare const StreamKind: StreamKindValues;
/** Stream model: bits of StreamTrace.flags. */
export declare const StreamFlag: Readonly<{ FILTERED: 1; REPLAYED: 2; LOST_STATE: 4; REPEAT: 8; DUPLICATE: 16; DEDUPLICATED: 32 }>;

/**
 * The fields of each cluster action besides `do` and `at_s`, by name. The names come from the
 * core (ActionName); what each one takes is written here, and an action not listed takes none.
 */
export interface ActionFields {
  kill_server: { server: number };
  restart_server: { server: number };
  remove_server: { server: number; drain?: boolean };
  revoke_user: { user: number };
  set_rate: { rate: number };
  set_policy: { policy: Policy };
  set_session_mode: { mode: SessionMode };
  /** restarts every server in turn, one every gap_s seconds (default 10, more than 0, at most 3600) */
  rolling_restart: { gap_s?: number };
}
/** A live action (at_s is only needed in a scenario's timeline): one member per ActionName. */
export type Action = {
  [N in ActionName]: { do: N; at_s?: number } & (N extends keyof ActionFields ? ActionFields[N] : unknown);
}[ActionName];

/** A cluster scenario (see README for every field and its default). Unknown fields are errors. */
export interface Scenario {
  kind?: 'cluster';
  name?: string;
  title?: string;
  description?: string;
  seed?: number;
  duration_s?: number;
  warmup_s?: number;
  series_interval_s?: number;
  traffic?: { users?: number; rate_per_s?: number; user_skew?: number };
  balancer?: { policy?: Policy };
  servers?: {
    count?: number; workers?: number; queue_limit?: number; startup_s?: number;
    service_ms?: ServiceTime;
  };
  session?: { mode?: SessionMode; cookie_bytes?: number; data_bytes?: number };
  store?: {
    latency_ms?: number; workers?: number; queue_limit?: number; persistent?: boolean;
    service_ms?: ServiceTime;
  };
  token?: { verify_ms?: number; bytes?: number; ttl_s?: number; deny_list?: boolean };
  network?: { hop_ms?: number; request_bytes?: number };
  autoscaler?: {
    enabled?: boolean; target_utilization?: number; min?: number; max?: number;
    interval_s?: number; cooldown_s?: number;
  };
  /** note: shown beside the action, at most 400 characters */
  timeline?: Array<Action & { at_s: number; note?: string }>;
}
/** A stream scenario (see README "Stream scenarios"). Unknown fields are errors. */
export interface StreamScenario {
  kind: 'stream';
  name?: string;
  title?: string;
  description?: string;
  seed?: number;
  duration_s?: number;
  series_interval_s?: number;
  source?: { rate_per_s?: number; keys?: number; key_skew?: number; value_max?: number };
  partitions?: number;
  workers?: number;
  processing?: { event_ms?: ServiceTime; failover_s?: number };
  pipeline?: PipelineStep[];
  checkpoint?: {
    mode?: CheckpointMode; interval_s?: number; pause_ms?: number; entry_us?: number;
  };
  timeline?: StreamAction[];
}
/**
 * The parameters of each stream operator besides `op`, by name. The names come from the core
 * (StreamOperator); what each one takes is written here, and an operator not listed takes none.
 */
export interface StreamOperatorFields {
  filter: { field?: StreamField; min?: number };
  map: { scale?: number };
  route: { outputs?: number; by?: StreamField };
  window_count: { window_s?: number };
  window_sum: { window_s?: number };
}
/** One operator of a stream pipeline: one member per StreamOperator. */
export type PipelineStep = {
  [O in StreamOperator]: { op: O } & (O extends keyof StreamOperatorFields ? StreamOperatorFields[O] : unknown);
}[StreamOperator];
/** A stream-model action (at_s is only needed in a scenario's timeline). */
export type StreamAction = { do: StreamActionName; worker: number; at_s?: number };

export interface ServiceTime {
  dist?: Distribution;
  /** milliseconds */
  mean: number;
  /** lognormal: standard deviation of the underlying normal */
  sigma?: number;
}

/** What is wrong with some input. */
export interface InputProblem {
  ok: false;
  /** JSON path of the offending value, e.g. `$.servers.count` */
  path: string;
  /** what is wrong, in plain words */
  message: string;
  /** the offending value as JSON text, '' if absent */
  got: string;
  /** `<path>: <message> (got <value>)`, as the CLI prints it after `error: ` */
  text: string;
}
export type Checked = { ok: true } | InputProblem;

/** Stream model: one step's events as parallel arrays (copies). */
export interface StreamTrace {
  count: number;
  dropped: number;
  /** a StreamKind value */
  kind: Uint8Array;
  /** worker id, -1 none */
  worker: Int32Array;
  /** partition id, -1 none */
  partition: Int32Array;
  /** event or window key, -1 none */
  key: Int32Array;
  /** ARRIVE/PROCESS: event number; WINDOW: window index (start = index * window_s) */
  seq: Uint32Array;
  /** event value after map, window result, or see kind */
  value: Float64Array;
  /** PROCESS: route output (-1 none); WINDOW: operator index; see kind */
  detail: Int32Array;
  /** StreamFlag bits */
  flags: Uint8Array;
  /** seconds */
  t0: Float64Array;
  /** seconds */
  t1: Float64Array;
}
export interface WorkerState {
  id: number;
  alive: boolean;
  /** processing an event */
  busy: boolean;
  /** stopped for a checkpoint */
  paused: boolean;
  /** partitions it owns */
  partitions: number;
  /** open window entries held for its partitions */
  stateEntries: number;
  /** events processed (replays included) */
  processed: number;
}
export interface PartitionState {
  id: number;
  /** worker processing it, -1 while waiting for failover */
  owner: number;
  /** worker it belongs to when that worker is up */
  home: number;
  /** events appended so far */
  logEnd: number;
  /** events processed so far (rewound by a replay) */
  position: number;
  /** input position in the last checkpoint */
  checkpoint: number;
  backlog: number;
  stateEntries: number;
}

/**
 * Invalid input, thrown by Lab.create() and Lab.scenarioText(); or, with coreStopped, the
 * WebAssembly core ran out of memory or faulted (thrown by whatever call met it): the
 * simulations it held are lost and the Lab loads a fresh core (await lab.ready).
 */
export declare class LabError extends Error {
  name: 'LabError';
  path: string;
  got: string;
  text: string;
  coreStopped: boolean;
  constructor(problem: { path: string; message: string; got?: string; text?: string; coreStopped?: boolean });
}

/** Largest scenario or action text accepted, bytes of UTF-8 (1 MiB). */
export declare const MAX_INPUT_BYTES: number;
/** Largest traceLimit (larger values are clamped to it). */
export declare const MAX_TRACE_LIMIT: number;

/** One step's events as parallel arrays (copies): event i is request[i], user[i], ... */
export interface Trace {
  count: number;
  /** events past traceLimit in this step */
  dropped: number;
  /** request id (arrival order), 0 for actions */
  request: Uint32Array;
  /** user id, -1 if none */
  user: Int32Array;
  /** server id or a Node value */
  from: Int32Array;
  /** server id or a Node value */
  to: Int32Array;
  /** a Kind value */
  kind: Uint8Array;
  /** an Outcome value */
  outcome: Uint8Array;
  /** Flag bits */
  flags: Uint8Array;
  /** ACTION: index in ACTIONS; REJECTED/FAILED: a Reason value */
  detail: Int32Array;
  /** seconds, leaves `from` */
  t0: Float64Array;
  /** seconds, reaches `to` */
  t1: Float64Array;
}

export interface ServerState {
  id: number;
  alive: boolean;
  /** the balancer sends it new requests */
  inRotation: boolean;
  /** leaving: finishes its queue, takes no new requests */
  draining: boolean;
  /** workers serving a request */
  busy: number;
  /** requests waiting */
  queued: number;
  /** sessions in its memory (server_memory) */
  sessions: number;
  /** requests completed */
  handled: number;
}

export interface StoreState {
  up: boolean;
  busy: number;
  queued: number;
  sessions: number;
  lookups: number;
}

/** Results of a run so far: the results JSON of `stateless-lab run` (see README). */
export interface Results {
  name: string;
  seed: number;
  duration_s: number;
  requests: { arrived: number; completed: number; failed: number; rejected: number; denied: number; in_flight: number };
  sessions: { misses: number; lost: number; created: number; live: number; remapped_users: number; miss_rate: number };
  auth: { revoked_accepted: number; token_refreshes: number };
  latency_ms: { mean: number; p50: number; p90: number; p99: number; max: number; count: number };
  throughput_per_s: number;
  little: { mean_in_system: number; arrival_rate_per_s: number; mean_latency_s: number };
  servers: Array<{ id: number; alive: boolean; handled: number; utilization: number; sessions: number }>;
  store: { up: boolean; lookups: number; utilization: number; sessions: number };
  bytes: { request: number; credentials: number; store: number; credentials_per_request: number };
  series: Series;
  [more: string]: unknown;
}
export interface Series {
  interval_s: number;
  t_s: number[];
  arrived: number[];
  completed: number[];
  failed: number[];
  rejected: number[];
  denied: number[];
  misses: number[];
  p50_ms: number[];
  p99_ms: number[];
  mean_ms: number[];
  servers: number[];
  [more: string]: unknown;
}

/** What both models share. Call delete() when done: WebAssembly memory is not garbage-collected. */
declare abstract class Model {
  /** simulated time now, seconds */
  readonly now: number;
  /** when the run ends (duration_s), seconds */
  readonly end: number;
  readonly finished: boolean;
  /** true after delete() */
  readonly deleted: boolean;
  /** Advances by dtSeconds (stops at the end); the trace then holds this step's events. */
  step(dtSeconds: number): void;
  /** Advances to tSeconds (clamped to [now, end]). */
  runUntil(tSeconds: number): void;
  /** Runs to the end. */
  run(): void;
  /** Goes to tSeconds (clamped to [0, end]) by deterministic replay; forgets later live actions. */
  seek(tSeconds: number): void;
  /** Frees the WebAssembly memory; safe to call twice. */
  delete(): void;
  [Symbol.dispose](): void;
}

/** A running cluster simulation. */
export declare class Simulation extends Model {
  private constructor();
  readonly kind: 'cluster';
  /** balancer policy in force now */
  readonly policy: Policy;
  /** session mode in force now */
  readonly sessionMode: SessionMode;
  /** arrival rate in force now, requests per second */
  readonly rate: number;
  /**
   * Applies an action now; refused ({ok: false}) if invalid or if it would take the run past a
   * limit (README, Limits). add_server answers with the id of the server it started (a dead
   * server's slot is reused before the pool grows).
   */
  apply(action: Action | string): { ok: true; server?: number } | InputProblem;
  results(): Results;
  /** results() without its series. */
  summary(): Omit<Results, 'series'>;
  /** The series so far; with `from`, the points from that index on, at most `count` of them. */
  series(from?: number, count?: number): Series;
  /** The last step's events (empty unless created with trace: true). */
  trace(): Trace;
  servers(): ServerState[];
  store(): StoreState;
}

/** A running stream simulation (scenario "kind": "stream"). */
export declare class StreamSimulation extends Model {
  private constructor();
  readonly kind: 'stream';
  /** Applies an action now, e.g. {do: 'kill_worker', worker: 1}. */
  apply(action: StreamAction | string): Checked;
  /** The stream results JSON of `stateless-lab run` so far (see README). */
  results(): Record<string, any>;
  series(): Record<string, any>;
  trace(): StreamTrace;
  workers(): WorkerState[];
  partitions(): PartitionState[];
  /** Windows whose open state a crash destroyed (window start = window * window_s). */
  lostWindows(): Array<{ op: number; key: number; window: number }>;
}

export interface CliResult<T = string> {
  stdout: T;
  stderr: T;
  /** exit code: 0 ok, 2 bad input */
  code: number;
}
export type ReadFile = (path: string) => string | Uint8Array | ArrayBuffer | ArrayBufferView | null | undefined;

export interface CreateOptions {
  /** keep each step's events (default false) */
  trace?: boolean;
  /** most events kept per step (default 20000, at most MAX_TRACE_LIMIT) */
  traceLimit?: number;
}

/** M/M/c steady state (Erlang C); times in the unit of the rates' inverse (seconds for per-second rates). */
export interface QueueState {
  /** ρ = λ/(cμ) */ utilization: number;
  /** probability that an arrival waits */ pWait: number;
  /** mean time in the queue */ waitS: number;
  /** mean time in the system */ responseS: number;
  /** mean requests waiting */ inQueue: number;
  /** mean requests in the system */ inSystem: number;
}

/** The first worker crash of a stream scenario as theory sees it. */
export interface StreamCrashTheory {
  worker: number; atS: number; partitionsOwned: number; partitions: number; keysOwned: number;
  keys: number; keyShare: number; lastCommitS: number; ratePerS: number;
  /** expected events processed again after the crash */ replayed: number;
}

/** lab.theory: closed forms computed by the core (wasm/theory.h). */
export interface Theory {
  /** null when ρ >= 1 or the input is invalid */
  mmc(arrivalPerS: number, servicePerS: number, servers: number): QueueState | null;
  erlangB(offered: number, servers: number): number | null;
  erlangC(offered: number, servers: number): number | null;
  /** q-quantile of M/M/c response time, seconds */
  responseQuantile(arrivalPerS: number, servicePerS: number, servers: number, q: number): number | null;
  little(arrivalPerS: number, responseS: number): number | null;
  amdahl(parallelShare: number, n: number): number | null;
  usl(n: number, alpha: number, beta: number): number | null;
  uslPeak(alpha: number, beta: number): number | null;
  moduloRemapShare(n: number): number | null;
  consistentRemapShare(n: number): number | null;
  roundRobinMissShare(servers: number): number | null;
  crashLossShare(killed: number, servers: number): number | null;
  revokedAcceptedShare(ttlS: number, durationS: number, revokedAtS: number, denyList: boolean): number | null;
  serversNeeded(ratePerS: number, workS: number, workers: number, targetUtilization: number): number | null;
  fairShareAfterAdd(servers: number, addedAtS: number, durationS: number): number | null;
  storeOutageSeconds(scenario: Scenario | string): number | null;
  /** Credential bytes per request of a cluster scenario (token, cookie or none, by its session mode); null if invalid. */
  credentialBytes(scenario: Scenario | string): number | null;
  /** Whether each server of a cluster scenario is an M/M/c queue (exponential service, no sessions, timeline or autoscaler, a random or hashed split); false if invalid. */
  mmcApplies(scenario: Scenario | string): boolean;
  /** Whether requests of a cluster scenario go to the session store (shared_store, or token with a deny list); false if invalid. */
  usesStore(scenario: Scenario | string): boolean;
  /** The scenario with every default filled in (as lab.normalize), or null if it does not validate. */
  normalize(scenario: Scenario | string): Scenario | null;
  streamCrash(scenario: StreamScenario | string): StreamCrashTheory | null;
}

/** The loaded module. */
export declare class Lab {
  private constructor();
  /** Resolves once the Lab can be used (after a fresh core loads, see LabError.coreStopped). */
  readonly ready: Promise<Lab>;
  /** Registered scenarios of both models. */
  scenarios(): Array<{ name: string; kind: 'cluster' | 'stream'; title: string; description: string }>;
  /** A registered scenario's JSON text; throws LabError if there is no such name. */
  scenarioText(name: string): string;
  /** Validates a scenario (either model) without running it. */
  validate(scenario: Scenario | StreamScenario | string): Checked;
  /**
   * The scenario with every default filled in, as a new object (what the core runs); running it
   * gives the same results, and normalizing it again gives it back. Throws LabError if invalid.
   */
  normalize(scenario: StreamScenario): StreamScenario;
  normalize(scenario: Scenario | StreamScenario | string): Scenario | StreamScenario;
  /**
   * Runs the scenario once per value of the field at `axis.path` and per seed, each in a
   * worker; resolves to the points in the order of values, then seeds. At most 200 points.
   */
  sweep(scenario: Scenario | StreamScenario | string, axis: { path: string; values: Array<number | string> },
        options?: { seeds?: number[]; workers?: number; signal?: AbortSignal;
                    onPoint?: (point: SweepPoint, done: number, total: number) => void }): Promise<SweepPoint[]>;
  /** Creates a simulation at time 0 (the model the scenario's kind selects); throws LabError if the scenario is invalid. */
  create(scenario: StreamScenario, options?: CreateOptions): StreamSimulation;
  create(scenario: Scenario, options?: CreateOptions): Simulation;
  create(scenario: string, options?: CreateOptions): Simulation | StreamSimulation;
  /** The analytic theory of the core; every function returns null where it has no answer. */
  readonly theory: Theory;
  /** The names the core accepts and reports, read from this core (equal to VOCABULARY). */
  readonly vocabulary: Vocabulary;
  /** The native CLI's command line (args without the program name); readFile is called synchronously. */
  runCli(args: string[], readFile?: ReadFile, options?: { encoding?: 'utf8' }): CliResult<string>;
  runCli(args: string[], readFile: ReadFile | undefined, options: { encoding: 'bytes' }): CliResult<Uint8Array>;
}

/**
 * Loads the WebAssembly module once (later calls return the same Lab unless options are
 * given). isolated: a Lab with its own core and memory, so that one simulator running out of
 * memory never stops another.
 */
/** One point of a sweep: the swept value, the seed and that run's results. */
export interface SweepPoint { value: number | string; seed: number; results: Results }

export declare function loadLab(options?: {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (name: string) => string;
  isolated?: boolean;
}): Promise<Lab>;
