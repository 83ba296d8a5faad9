/**
 * RUNS INSIDE EACH THREAD'S ISOLATE (worker_threads runtime), before the submission loads.
 *
 * The EventEmitter part of Node's `Worker` and `parentPort` (on/addListener, once, off/
 * removeListener, removeAllListeners, listenerCount, emit), with listeners kept in a WeakMap the
 * submission cannot reach, so the runtime's own deliveries do not depend on methods the
 * submission may replace. Stringified: it may use only its parameter and built-ins, captured first.
 */
type Listener = (...args: unknown[]) => unknown;
interface Entry {
  listener: Listener;
  once: boolean;
}

export interface EventEmitters {
  /** Methods for a prototype; `this` is the emitter. */
  methods: Record<string, Listener>;
  /** Calls the listeners of `event` in order (a throw propagates); false when there were none. */
  emit(target: object, event: PropertyKey, args: unknown[]): boolean;
  count(target: object, event: PropertyKey): number;
}

export function createEventEmitters(onChange: (target: object, event: PropertyKey) => void): EventEmitters {
  'use strict';
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const createObject = Object.create;
  const weakMapGet = WeakMap.prototype.get;
  const weakMapSet = WeakMap.prototype.set;
  const NativeError = Error;
  const NativeTypeError = TypeError;
  const toText = String;
  const ownKeys = Reflect.ownKeys;
  const tables = new WeakMap<object, Record<PropertyKey, Entry[]>>();

  function tableOf(target: object): Record<PropertyKey, Entry[]> {
    let table = apply(weakMapGet, tables, [target]) as Record<PropertyKey, Entry[]> | undefined;
    if (table === undefined) {
      table = createObject(null) as Record<PropertyKey, Entry[]>;
      apply(weakMapSet, tables, [target, table]);
    }
    return table;
  }

  /** A copy without the entry at `skip`: lists are replaced, never changed, so an emit in progress keeps its own. */
  function copy(list: Entry[], skip: number, extra?: Entry): Entry[] {
    const result: Entry[] = [];
    let length = 0;
    for (let i = 0; i < list.length; i++)
      if (i !== skip) defineProperty(result, length++, { value: list[i], enumerable: true, writable: true });
    if (extra !== undefined)
      defineProperty(result, length, { value: extra, enumerable: true, writable: true });
    return result;
  }

  function add(target: object, event: PropertyKey, listener: unknown, once: boolean): void {
    if (typeof listener !== 'function')
      throw new NativeTypeError(
        'The "listener" argument must be of type function. Received ' +
          (listener === null ? 'null' : typeof listener),
      );
    const table = tableOf(target);
    table[event] = copy(table[event] ?? [], -1, { listener: listener as Listener, once });
    onChange(target, event);
  }

  function remove(target: object, event: PropertyKey, listener: unknown): void {
    const table = tableOf(target);
    const list = table[event];
    if (list === undefined) return;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i].listener === listener) {
        table[event] = copy(list, i);
        onChange(target, event);
        return;
      }
    }
  }

  function emit(target: object, event: PropertyKey, args: unknown[]): boolean {
    const table = tableOf(target);
    const list = table[event];
    if (list === undefined || list.length === 0) return false;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      if (entry.once) remove(target, event, entry.listener);
      apply(entry.listener, target, args);
    }
    return true;
  }

  function count(target: object, event: PropertyKey): number {
    return tableOf(target)[event]?.length ?? 0;
  }

  const methods: Record<string, Listener> = {
    on(this: object, event: unknown, listener: unknown) {
      add(this, event as PropertyKey, listener, false);
      return this;
    },
    once(this: object, event: unknown, listener: unknown) {
      add(this, event as PropertyKey, listener, true);
      return this;
    },
    off(this: object, event: unknown, listener: unknown) {
      remove(this, event as PropertyKey, listener);
      return this;
    },
    removeAllListeners(this: object, event?: unknown) {
      const table = tableOf(this);
      const keys = event === undefined ? ownKeys(table) : [event as PropertyKey];
      for (let i = 0; i < keys.length; i++) {
        if (table[keys[i]] === undefined) continue;
        table[keys[i]] = [];
        onChange(this, keys[i]);
      }
      return this;
    },
    listenerCount(this: object, event: unknown) {
      return count(this, event as PropertyKey);
    },
    emit(this: object, event: unknown, ...args: unknown[]) {
      if (emit(this, event as PropertyKey, args)) return true;
      if (event !== 'error') return false;
      const error = args[0];
      if (error instanceof NativeError) throw error;
      throw new NativeError('Unhandled error. (' + toText(error) + ')');
    },
  };
  methods.addListener = methods.on;
  methods.removeListener = methods.off;
  return { methods, emit, count };
}
