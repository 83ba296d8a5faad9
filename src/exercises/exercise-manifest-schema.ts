import { z } from 'zod';

/** Caps an exercise author cannot exceed, whatever exercise.json says (every default paired with a cap). */
export const LIMIT_CAPS = {
  timeoutMs: 120_000,
  memoryMb: 512,
  maxConsoleBytes: 1024 * 1024,
  dedicatedCores: 256,
} as const;

const DEDICATED_CORES_MESSAGE = `must be true (2 cores), false, or a whole number of cores from 1 to ${LIMIT_CAPS.dedicatedCores}`;

const checkSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be kebab-case (a-z, 0-9, -)'),
  name: z.string().min(1),
  points: z.number().int().min(0),
  hidden: z.boolean(),
});

/** The shape of exercise.json (see ExerciseManifest). */
export const exerciseManifestSchema = z.strictObject({
  title: z.string().min(1),
  kind: z.enum(['async', 'threads']),
  grader: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must name a folder under graders/'),
  exports: z.array(z.string().regex(/^[A-Za-z_$][\w$]*$/, 'must be a JavaScript identifier')).min(1),
  limits: z.strictObject({
    timeoutMs: z.number().int().min(100).max(LIMIT_CAPS.timeoutMs),
    memoryMb: z.number().int().min(8).max(LIMIT_CAPS.memoryMb),
    maxConsoleBytes: z.number().int().min(0).max(LIMIT_CAPS.maxConsoleBytes),
    dedicatedCores: z
      .union(
        [
          z.boolean(),
          z
            .number({ error: DEDICATED_CORES_MESSAGE })
            .int({ error: DEDICATED_CORES_MESSAGE })
            .min(1, { error: DEDICATED_CORES_MESSAGE })
            .max(LIMIT_CAPS.dedicatedCores, { error: DEDICATED_CORES_MESSAGE }),
        ],
        { error: DEDICATED_CORES_MESSAGE },
      )
      .optional(),
  }),
  checks: z
    .array(checkSchema)
    .min(1)
    .refine(
      (checks) => new Set(checks.map((check) => check.id)).size === checks.length,
      'check ids must be unique',
    ),
  settings: z.record(z.string(), z.unknown()).optional(),
});
