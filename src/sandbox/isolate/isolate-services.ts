/**
 * RUNS INSIDE THE ISOLATE, installed by the runtime before the student's code loads.
 *
 * The grader's services as the submission sees them. A virtual-I/O service returns a promise the
 * host settles later and tracks, following Node, whether anything handles its rejection; a
 * CPU-bound service answers at once (the host moves the virtual clock on by its cost).
 * Stringified like the runtime: it may use only its parameter and built-ins, captured first.
 */
import type { IsolateHost, ServiceKind } from './isolate-contract';

type Callback = (...args: unknown[]) => unknown;
interface Settlers {
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

export interface IsolateServices {
  makeService(name: string, kind: ServiceKind): Callback;
  settleCall(callIndex: number, ok: boolean, payload: unknown): void;
}

export function installIsolateServices(host: IsolateHost): IsolateServices {
  'use strict';
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const createObject = Object.create;
  const NativePromise = Promise;
  const nativeThen = Promise.prototype.then;
  const NativeError = Error;
  const toText = String;
  const weakMapGet = WeakMap.prototype.get;
  const weakMapSet = WeakMap.prototype.set;

  const settlersByCall: Record<number, Settlers> = createObject(null);
  const trackingByPromise = new WeakMap<object, { trackId: number; callIndex: number }>();

  /** Follows Node: a promise is handled once anything calls `then` on it; a chain without a rejection handler is tracked further. */
  class ServicePromise<T> extends NativePromise<T> {
    constructor(executor: (resolve: (value: T) => void, reject: (reason: unknown) => void) => void) {
      super(executor);
    }
    then(onFulfilled?: unknown, onRejected?: unknown): Promise<never> {
      const tracking = apply(weakMapGet, trackingByPromise, [this]);
      const derived = apply(nativeThen, this, [onFulfilled, onRejected]) as Promise<never>;
      if (tracking !== undefined) {
        host.markHandled(tracking.trackId);
        if (typeof onRejected !== 'function') track(derived, tracking.callIndex);
      }
      return derived;
    }
  }

  function track(promise: Promise<unknown>, callIndex: number): void {
    const trackId = host.track(callIndex);
    apply(weakMapSet, trackingByPromise, [promise, { trackId, callIndex }]);
    apply(nativeThen, promise, [undefined, () => host.noteRejected(trackId)]);
  }

  function makeService(name: string, kind: ServiceKind): Callback {
    const service =
      kind === 'cpu'
        ? function (...args: unknown[]) {
            return host.callCpuService(name, args);
          }
        : function (...args: unknown[]) {
            const callIndex = host.callService(name, args);
            let settlers: Settlers | undefined;
            const promise = new ServicePromise((resolve, reject) => {
              settlers = { resolve, reject };
            });
            settlersByCall[callIndex] = settlers!;
            track(promise, callIndex);
            return promise;
          };
    defineProperty(service, 'name', { value: name });
    return service;
  }

  return {
    makeService,
    settleCall(callIndex, ok, payload) {
      const settlers = settlersByCall[callIndex];
      delete settlersByCall[callIndex];
      if (ok) settlers.resolve(payload);
      else settlers.reject(new NativeError(toText(payload)));
    },
  };
}
