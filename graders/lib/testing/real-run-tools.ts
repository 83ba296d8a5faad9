import type { ThreadTools } from '../../grader-api';

/** What a thread code factory gets in a real run (runThreads), for specs that call thread code directly. */
export const REAL_RUN_TOOLS: ThreadTools = Object.freeze({
  controlled: false,
  scheduled: <T>(view: T) => view,
  point: () => undefined,
});
