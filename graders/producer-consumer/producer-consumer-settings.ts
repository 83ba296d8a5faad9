import { z } from 'zod';

/**
 * The `settings` of exercises/producer-consumer/exercise.json. Every run has P producers, C
 * consumers and the grader's coordinator thread: P + C + 1 threads, within the default limit of 16.
 */
const MAX_THREADS = 16;

const shape = {
  producers: z.number().int().min(1).max(8),
  consumers: z.number().int().min(1).max(8),
  capacity: z.number().int().min(1).max(1024),
};
const fitsThreads = (s: { producers: number; consumers: number }) =>
  s.producers + s.consumers + 1 <= MAX_THREADS;
const THREADS_MESSAGE = `producers + consumers + 1 (the grader's thread) must be at most ${MAX_THREADS}`;

const flow = z
  .object({
    ...shape,
    /** Real time producers run before the grader sets stop[0] = 1, unless maxItems come first. */
    runMs: z.number().int().min(10).max(2000),
    maxItems: z.number().int().min(1).max(500_000),
    /** Consumer 1 sleeps this long in each store(), so items are still queued at close(). */
    slowConsumerMs: z.number().int().min(0).max(20).default(0),
  })
  .refine(fitsThreads, THREADS_MESSAGE);

const range = (min: number, max: number) =>
  z
    .object({ min: z.number().int().min(min).max(max), max: z.number().int().min(min).max(max) })
    .refine((r) => r.min <= r.max, 'min must not exceed max');

const settingsSchema = z
  .object({
    timing: z.object({
      /** How long consumers wait on an empty queue, or producers on a full one, in the sleep checks. */
      holdMs: z.number().int().min(100).max(2000),
      /** What "returns in time" allows after a thread's signal (the brief: 1 s). */
      graceMs: z.number().int().min(100).max(5000),
      /**
       * The grace of the real runs once the controlled runs have failed shutdown-in-time (a proven
       * deadlock, or close() throwing): the check has its counterexample and schedule, and waiting
       * the full grace for stuck threads in every real run would only repeat it, seconds a grading.
       */
      shutdownFailedGraceMs: z.number().int().min(100).max(5000),
      /** Pause before close() once every item is consumed, so consumers are asleep in get(). */
      settleMs: z.number().int().min(0).max(500),
      /** A waiter spins if its CPU estimate passes this share of the wait (and minSpinCpuMs). */
      spinCpuShare: z.number().min(0.1).max(0.9),
      minSpinCpuMs: z.number().int().min(10).max(1000),
    }),
    flows: z.array(flow).min(1),
    /** Short flows under the controlled scheduler: exact, replayable counterexamples. */
    controlled: z.object({
      runs: z.number().int().min(1).max(1000),
      flows: z
        .array(
          z.object({ ...shape, items: z.number().int().min(1).max(64) }).refine(fitsThreads, THREADS_MESSAGE),
        )
        .min(1),
    }),
    consumersWaitOnEmpty: z
      .object({ ...shape, maxItems: z.number().int().min(1).max(10_000) })
      .refine(fitsThreads, THREADS_MESSAGE),
    producersWaitOnFull: z.object(shape).refine(fitsThreads, THREADS_MESSAGE),
    drainAfterClose: z
      .object({ ...shape, maxItems: z.number().int().min(1).max(10_000) })
      .refine(fitsThreads, THREADS_MESSAGE)
      // Each producer may call next() once more after the last item sets stop: all must fit unconsumed.
      .refine(
        (s) => s.maxItems + s.producers - 1 <= s.capacity,
        'drainAfterClose: maxItems + producers - 1 must fit in the capacity (no consumer runs before close)',
      ),
    /** Hidden: controlled flows of a random shape (controlled, so regrading gives the same verdict). */
    hidden: z.object({
      producers: range(1, 7),
      consumers: range(1, 7),
      capacity: range(1, 64),
      items: z.number().int().min(1).max(64),
      runs: z.number().int().min(1).max(1000),
    }),
  })
  .refine(
    (s) => s.hidden.producers.max + s.hidden.consumers.max + 1 <= MAX_THREADS,
    `hidden: ${THREADS_MESSAGE}`,
  )
  .refine(
    (s) => s.flows.some((f) => f.consumers === 1 && f.producers >= 2),
    'a flow needs one consumer and several producers (FIFO per producer)',
  )
  .refine(
    (s) => s.flows.some((f) => f.consumers >= 2 && f.producers >= 2),
    'a flow needs several producers and several consumers (races on both ends)',
  )
  .refine(
    (s) => s.flows.some((f) => f.slowConsumerMs > 0),
    'a flow needs a slow consumer (items queued at close)',
  );

export type FlowSpec = z.infer<typeof flow>;
export type ProducerConsumerSettings = z.infer<typeof settingsSchema>;

export function parseProducerConsumerSettings(settings: unknown): ProducerConsumerSettings {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success)
    throw new Error(
      `exercises/producer-consumer/exercise.json settings are invalid: ${parsed.error.message}`,
    );
  return parsed.data;
}
