/**
 * perf.json → Markdown report + SVG charts. Pure: the same PerfReport always gives the same
 * output, and every sentence with a number in it is computed from the report. Each section is a
 * function in bench/render/; to add a section, add its file and one line to SECTIONS.
 */
import { escapeXml } from './svg.js';
import type { PerfReport } from './types.js';
import { renderContext, type RenderContext } from './render/context.js';
import { renderHeader } from './render/header.js';
import { renderConclusion } from './render/conclusion.js';
import { renderNote } from './render/note.js';
import { renderRatios } from './render/ratios.js';
import { renderWriteCost } from './render/write-cost.js';
import { renderOperations } from './render/operations.js';
import { renderWorkloads } from './render/workloads.js';
import { renderScaling } from './render/scaling.js';
import { renderStores } from './render/stores.js';
import { renderConditions } from './render/conditions.js';
import { renderMethod } from './render/method.js';
import { renderFrontier } from './render/frontier.js';
import { durabilitySection } from './durability.js';
import { renderServerRequests } from './render/server-requests.js';
import { renderServerWriteCost } from './render/server-write-cost.js';
import { renderServerConcurrency } from './render/server-concurrency.js';
import { renderServerMemory } from './render/server-memory.js';

export { NOTE_CLAIM } from './render/context.js';

export interface RenderedReport {
  markdown: string;
  /** File name (relative to charts/) → SVG document. */
  charts: Record<string, string>;
}

/** The report's sections, in order. */
const SECTIONS: readonly ((ctx: RenderContext) => void)[] = [
  renderHeader,
  renderConclusion,
  renderNote,
  renderServerRequests,
  renderServerWriteCost,
  renderServerConcurrency,
  renderServerMemory,
  renderRatios,
  renderWriteCost,
  renderOperations,
  renderWorkloads,
  renderScaling,
  (ctx) => void ctx.md.push(...durabilitySection(ctx.perf)),
  renderFrontier,
  renderStores,
  renderConditions,
  renderMethod,
];

export function renderReport(perf: PerfReport): RenderedReport {
  const ctx = renderContext(perf);
  for (const section of SECTIONS) section(ctx);
  return { markdown: ctx.md.join('\n'), charts: ctx.charts };
}


/** For tests and tools: the XML-escaping used in the charts. */
export { escapeXml };
