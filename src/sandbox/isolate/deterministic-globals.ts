/**
 * RUNS INSIDE THE ISOLATE, in each fresh context, before the runtime and the submission.
 *
 * Makes every clock and the randomness follow the grading instead of the machine, so the same
 * seed gives the same run: `Date` and `performance.now()` read the virtual clock (Date from a fixed
 * epoch), and `Math.random` is a seeded xoshiro128**, the generator of the grader's own streams
 * (src/grading/seeded-random.ts). Stringified like the runtime: it may use only its parameters and
 * built-ins. Known gap: `Intl.DateTimeFormat#format()` with no date still reads the real clock.
 */
import type { DeterminismSettings } from './isolate-contract';

export function installDeterministicGlobals(virtualNowMs: () => number, settings: DeterminismSettings): void {
  'use strict';
  const NativeDate = Date;
  const construct = Reflect.construct;
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const freeze = Object.freeze;
  const floor = Math.floor;
  const imul = Math.imul;
  const dateToString = Date.prototype.toString;
  const epochMs = settings.epochMs;
  const globalObject = globalThis as Record<string, unknown>;
  const hidden = (value: unknown) => ({ value, writable: true, configurable: true, enumerable: false });

  const currentMs = () => epochMs + floor(virtualNowMs());

  // Same shape as the built-in: `new Date()` is now, `new Date(x)` is untouched, `Date()` is now as text,
  // `instanceof Date` and subclasses keep working because the prototype is the built-in one.
  const VirtualDate = function Date(...args: unknown[]) {
    if (new.target === undefined) return apply(dateToString, construct(NativeDate, [currentMs()]), []);
    return construct(NativeDate, args.length === 0 ? [currentMs()] : args, new.target);
  };
  defineProperty(VirtualDate, 'length', { value: 7, configurable: true });
  defineProperty(VirtualDate, 'prototype', { value: NativeDate.prototype, writable: false });
  defineProperty(
    VirtualDate,
    'now',
    hidden(function now() {
      return currentMs();
    }),
  );
  defineProperty(VirtualDate, 'parse', hidden(NativeDate.parse));
  defineProperty(VirtualDate, 'UTC', hidden(NativeDate.UTC));
  defineProperty(NativeDate.prototype, 'constructor', hidden(VirtualDate));
  defineProperty(globalObject, 'Date', hidden(VirtualDate));

  defineProperty(
    globalObject,
    'performance',
    hidden(freeze({ now: () => virtualNowMs(), timeOrigin: epochMs })),
  );

  let [a, b, c, d] = settings.randomState;
  const rotateLeft = (value: number, bits: number) => (value << bits) | (value >>> (32 - bits));
  defineProperty(
    Math,
    'random',
    hidden(function random() {
      const result = imul(rotateLeft(imul(b, 5), 7), 9) >>> 0;
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotateLeft(d, 11);
      return result / 4294967296;
    }),
  );
}
