import type { AsyncDriverCode } from '../grader-api';
import type { BankOperation } from './bank-plans';

export interface BankDriverInput {
  operations: BankOperation[];
}

/**
 * RUNS INSIDE THE ISOLATE, beside the submission (see AsyncDriverCode): builds one Bank on the
 * grader's store and starts every planned operation on it at its time, as a labelled operation the
 * host records. Built-ins are captured before the submission loads; arrays are walked by index.
 */
export const bankDriver: AsyncDriverCode = () => {
  const apply = Reflect.apply;
  const freeze = Object.freeze;
  const NativeTypeError = TypeError;
  return (exports, services, tools, input: BankDriverInput) => {
    const Bank = exports.Bank as new (store: unknown) => Record<string, unknown>;
    const bank = new Bank(freeze({ read: services.read, write: services.write }));
    const operations = input.operations;
    for (let i = 0; i < operations.length; i++) {
      const operation = operations[i];
      const start = () => {
        const method = bank[operation.method];
        if (typeof method !== 'function') throw new NativeTypeError('Bank has no method ' + operation.method);
        return apply(method, bank, operation.args);
      };
      tools.operation(operation.label, start, operation.delayMs);
    }
  };
};
