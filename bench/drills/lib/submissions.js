/**
 * What drills submit: the exercises' own reference solutions (must pass) and known-bad variants (must
 * fail), from exercises/, plus the hostile spinning lock of the orphan drill. Every file sent carries a
 * unique marker comment, so each row in the database can be traced to the one request that sent it,
 * with or without an Idempotency-Key.
 */
const { readFileSync, readdirSync } = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./lockstep');

const MARKER_PATTERN = /\/\/ lockstep-drill-marker (\S+)\s*$/;

function exerciseFile(exercise, file) {
  return readFileSync(path.join(ROOT, 'exercises', exercise, file), 'utf8');
}

/** The reference solution: its report must say passed. */
function solution(exercise) {
  return {
    exercise,
    name: `${exercise}/solution`,
    code: exerciseFile(exercise, 'solution.ts'),
    expect: 'passed',
  };
}

/** Every known-bad variant of an exercise (exercises/<slug>/bad): each report must say failed. */
function badVariants(exercise) {
  return readdirSync(path.join(ROOT, 'exercises', exercise, 'bad'))
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .map((file) => ({
      exercise,
      name: `${exercise}/bad/${file}`,
      code: exerciseFile(exercise, path.join('bad', file)),
      expect: 'failed',
    }));
}

/** Reference solution and bad variants in turn (half and half), for traffic with known verdicts. */
function mixedVariants(exercise) {
  const bad = badVariants(exercise);
  const mixed = [];
  for (const variant of bad) mixed.push(solution(exercise), variant);
  return mixed;
}

/**
 * A race-free-counter Mutex whose lock() spins forever without yielding (a spin lock on a value no
 * unlock ever stores): hostile code that keeps a sandbox process's core busy until something kills it.
 */
function spinningLock() {
  const code = `export class Mutex {
  constructor(private readonly state: Int32Array, private readonly index = 0) {}
  lock(): void {
    // waits for a value nothing ever stores: spins forever
    while (Atomics.compareExchange(this.state, this.index, 7, 1) !== 7) {}
  }
  unlock(): void {
    Atomics.store(this.state, this.index, 0);
  }
}
`;
  return { exercise: 'race-free-counter', name: 'race-free-counter/spinning-lock', code, expect: null };
}

function withMarker(code, marker) {
  return `${code}\n// lockstep-drill-marker ${marker}\n`;
}

function markerOf(code) {
  return MARKER_PATTERN.exec(code)?.[1] ?? null;
}

module.exports = { badVariants, markerOf, mixedVariants, solution, spinningLock, withMarker };
