// Types of the page's modules for the type check (tsc --noEmit); the browser never loads this
// file. Objects that come from the wasm core (specs, results, reports) are `any` in the
// generated pkg/steepest.d.ts; they are named here so signatures say which is which.

/** A spec as the core reads it (plain JSON; see `steepest spec`). */
export type Spec = any;
/** What `run` returns (`steepest run`). */
export type RunResult = any;
/** What `smoothness` returns (`steepest smoothness`). */
export type Report = any;
/** What `sweep` returns (`steepest sweep`). */
export type Sweep = any;
/** What `hessianAnatomy` returns (`steepest anatomy`). */
export type Anatomy = any;

/** One row of the core's parameter table. */
export interface Param {
  name: string;
  /** The name people write (λ_max, start distance). */
  label: string;
  /** The range as people read it ("1 to 2000"); empty for non-numbers. */
  range: string;
  /** ArrowUp adds `step`, or multiplies by `step_factor`. */
  step?: number;
  step_factor?: number;
  /** A matrix parameter's example, filled in when the problem kind becomes matrix. */
  example?: number[][];
  group: string;
  type: 'integer' | 'float' | 'choice' | 'boolean' | 'vector' | 'matrix' | 'text';
  min: number;
  max: number;
  min_exclusive?: boolean;
  max_exclusive?: boolean;
  default: any;
  /** The rule of a default that follows other fields (the field is left empty; the core resolves it). */
  auto?: string;
  log_scale?: boolean;
  choices: string[];
  help: string;
  when: [string, string[]][];
}

/** What the core's `schema()` returns. */
export interface Schema {
  version: number;
  limits: { max_d: number; max_network_params: number; max_steps: number; max_methods: number; url_matrix_max: number };
  params: Param[];
  /** Every method with its reader's name, the norm of its theory step and its own hyperparameter
   * defaults (a hyperparameter left out of a method's spec takes these). */
  methods: { id: string; name: string; theory_norm: string | null; defaults: Record<string, number> }[];
  /** The parameter groups in display order, with their titles. */
  groups: { name: string; title: string }[];
  /** Query keys the page owns, its views with the groups whose controls each shows, and the
   * embed's options (allowed values, the default first). */
  page: { keys: string[]; views: PageView[]; options: { key: string; values: string[]; help: string }[] };
}

/** A view of the page in the schema: the control groups it shows, and the settings its
 * computation sets itself (their controls are disabled there, with the note as the reason). */
export interface PageView {
  id: string;
  groups: string[];
  overrides: string[];
  overrides_note: string;
}

/** A preset as `presets()` returns it. */
export interface Preset {
  name: string;
  title: string;
  look_for: string;
  /** Checkable statements about the preset's results (`checkClaims` decides them). */
  claims: unknown[];
  view: string;
  spec: Spec;
  query: string;
}

/** A plot area in CSS pixels and its data ranges, as every draw function returns it. */
export interface Frame {
  left: number;
  top: number;
  right: number;
  bottom: number;
  x_min: number;
  x_max: number;
  y_min: number;
  y_max: number;
  x_log: boolean;
  y_log: boolean;
}

/** What the figures draw: the latest outcome of each computation. */
export interface PageData {
  result: RunResult | null;
  report: Report | null;
  sweep?: Sweep | null;
  anatomy?: Anatomy | null;
}

/** `window.steepest`: the page's state, read by the tests and the browser benchmark. */
export interface PageState extends PageData {
  spec: Spec;
  issues: { param: string; value: string; message: string }[];
  where?: 'main' | 'worker';
  timings: { boot?: number; firstPlot?: number; lastRun?: number; lastCompute?: number; lastEditToDraw?: number; lastAnatomy?: number };
  /** How many runs, refined geometries, sweeps and Hessian analyses have been shown. */
  runs: number;
  refined: number;
  sweeps: number;
  anatomies: number;
  ready?: boolean;
}

/** One line of a hover read-out: a series colour (or null) and its text. */
export type HoverLine = [string | null, string];

/** A figure: a canvas in index.html that one view draws. */
/** A figure's numbers: column names and rows (null for none). */
export interface FigureTable {
  head: string[];
  rows: (string | number | boolean | null)[][];
}

export interface FigureDef {
  /** The `plot=` id of an embed link. */
  name: string;
  /** The id of the view that shows it. */
  view: string;
  /** Its <figure> in index.html. */
  selector: string;
  /** The part of the page data it draws; it stays blank until that exists. */
  needs: keyof PageData;
  /** Draws on a canvas whose backing size is set; returns the plot frame. Absent when the
   * view draws the figure itself (the 2-D view animates its own). */
  draw?: (canvas: HTMLCanvasElement, data: PageData, dpr: number, dark: boolean) => Frame;
  /** A one-line note drawn instead of the plot, or null to draw it. */
  note?: (data: PageData) => string | null;
  /** Whether the data has anything to show here (else the figure is hidden, except in an embed). */
  available?: (data: PageData) => boolean;
  /** The read-out at pointer (x, y) in CSS pixels inside frame `f`. */
  hover?: (f: Frame, x: number, y: number, data: PageData) => HoverLine[];
  /** Its name in the export menu ("… (PNG)", "… (CSV)"). */
  label: string;
  /** The numbers it alone shows, exported as CSV (numbers shared by a view's figures are a view
   * export) and shown by its Data toggle unless `dataTable` is given. */
  table?: (data: PageData) => FigureTable;
  /** Its numbers as its Data toggle shows them (long tables sampled to about 50 rows), when
   * they are not `table`. */
  dataTable?: (data: PageData) => FigureTable;
  /** The spec parameters (names of the schema's table) an embed with `controls=compact` shows
   * under the figure: the two or three that matter for it. */
  controls?: string[];
}

/** One entry of the export menu: a file made from the page state. */
export interface ExportDef {
  /** The button's `data-export`. */
  id: string;
  label: string;
  file: string;
  /** The part of the state it needs; the entry is hidden until that exists. */
  needs?: keyof PageData;
  /** The view whose menu shows it (all views when absent). */
  view?: string;
  /** Whether it can be made now (e.g. its figure is on screen). */
  available?: (state: PageState) => boolean;
  make: (state: PageState) => Blob | Promise<Blob>;
}

/** What a view's computation may use (built once in main.js). */
export interface PageContext {
  state: PageState;
  computer: import('./compute.js').Computer;
  plots: import('./plots.js').Plots;
  /** Sets the status line, with `detail` (timings) in its tooltip. */
  status: (text: string, detail?: string) => void;
  /** Shows why a computation failed (`verb` says what did not happen); ignores cancellations. */
  fail: (e: any, verb: string) => void;
  /** When the reader's last edit happened (performance.now()), 0 before any. */
  editStart: number;
  /** Applies an edit of the spec made in a figure (not a control): syncs the controls and the
   * URL, and recomputes. */
  edit: (mutate: (spec: Spec) => void) => void;
}

/** A page view: a tab, its panel, and the computation behind it. */
export interface ViewDef {
  /** The `view=` value (one of the schema's `page.views`); its tab is #tab-{id} and its panel
   * #{id}-view. */
  id: string;
  /** Its data exports (its figures add their PNGs). */
  exports: ExportDef[];
  /** Sets up what the view owns beyond its figures (once, when the page starts). */
  init?: (ctx: PageContext) => void;
  /** Runs its computation for the current spec (a worker task of worker.js, through
   * `ctx.computer`) and shows the outcome; reports failures through `ctx.fail`. */
  compute: (ctx: PageContext) => Promise<void>;
  /** Called when the reader switches to another view. */
  leave?: (ctx: PageContext) => void;
}

declare global {
  interface Window {
    /** The page's state, for the tests and the curious. */
    steepest: PageState;
  }
}
