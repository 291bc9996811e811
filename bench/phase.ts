// The contract of a bench phase: run.ts calls every phase in its list in order, prints
// what each returns and writes it to results.json under the phase's key. A new phase
// (report build cost, dashboard page timings…) is a module exporting a Phase plus one
// line in run.ts's list.
import type { NodeChild } from './children';
import type { Mongo } from './mongo';
import type { Settings, SlackMode, Variant } from './settings';

export interface SlackStubs {
  urls: Partial<Record<SlackMode, string>>;
  children: Partial<Record<SlackMode, NodeChild>>;
}

/** What the runner sets up once for every phase. */
export interface BenchEnv {
  settings: Settings;
  selected(variant: Variant): boolean;
  /** Started when a selected phase `needs.mongo` (else source 'not needed'). */
  mongo: Mongo;
  /** Started when a selected phase `needs.slack`. */
  stubs: SlackStubs;
  /** True once the runner is stopping on a signal: a child exiting then is no crash. */
  interrupted(): boolean;
  /** What the store rows left in MongoDB (set by the error path phase), for results.json. */
  mongoContents?: Record<string, unknown>;
}

/** A target and whether this run met it; printed together at the end and kept in results.json. */
export interface Verdict {
  id: string;
  what: string;
  target: string;
  measured: string;
  pass: boolean | undefined;
}

export interface PhaseResult {
  /** Key in results.json. */
  key: string;
  data: unknown;
  print(): void;
  verdicts: Verdict[];
}

export interface Phase {
  /** Name in BENCH_PHASES. */
  name: string;
  needs?: { mongo?: boolean; slack?: boolean };
  /** False when the selected variants give this phase nothing to do. */
  wanted?(env: BenchEnv): boolean;
  run(env: BenchEnv): Promise<PhaseResult>;
}
