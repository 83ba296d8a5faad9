import { describeMessagesInSandbox } from '../lib/testing/graded-in-sandbox';

/** A failure the controlled runs found: the table, the run, its strategy and its schedule. */
const CONTROLLED = String.raw`with [257] seats on controlled run \d+ of 30 \((random|PCT depth 3), schedule [0-9a-f]{8}\)`;

describeMessagesInSandbox(
  'dining-philosophers',
  {
    'acquires-one-fork-twice.ts': {
      'no-deadlock': new RegExp(
        String.raw`^deadlock ${CONTROLLED}: philosopher (\d) holds fork (\d) and waits for fork \3, which it holds itself`,
      ),
    },
    'eats-with-one-fork.ts': {
      meals: new RegExp(
        String.raw`^philosopher (\d) ate meal 1 of 2 ${CONTROLLED} without holding both of its forks \1 and \d: it held fork \1, but fork \d was (free|held by philosopher \d)`,
      ),
    },
    'forks-on-the-other-side.ts': {
      meals: new RegExp(
        String.raw`^philosopher \d ate meal 1 of 2 ${CONTROLLED} without holding both of its forks`,
      ),
    },
    'keeps-forks-after-last-meal.ts': {
      'forks-released': new RegExp(
        String.raw`^fork \d was still held by philosopher \d after it returned ${CONTROLLED}: a philosopher releases every fork before it returns$`,
      ),
    },
    'left-then-right.ts': {
      'no-deadlock':
        /^deadlock with 2 seats on controlled run 1 of 30 \(random, schedule [0-9a-f]{8}\): philosopher 0 holds fork 0 and waits for fork 1; philosopher 1 holds fork 1 and waits for fork 0 \(every philosopher picked up fork `seat` first.*\)\. Last steps: /,
      'finishes-in-time':
        /^deadlock after [\d,]+ ms with 2 seats: 2 philosophers in a circle, each waiting for a fork the next one holds \(see no-deadlock\)$/,
    },
    'no-modulo-at-the-last-seat.ts': {
      meals:
        /^philosopher 1 threw RangeError: acquire\(2\): there is no such fork; the forks are numbered 0 to 1 \(line \d+\) after 0 meals of 2 with 2 seats on controlled run 1 of 30 \(random, schedule [0-9a-f]{8}\)$/,
    },
    'one-meal-too-many.ts': {
      meals: new RegExp(String.raw`^philosopher \d ate 3 times instead of 2 ${CONTROLLED}$`),
    },
    'releases-one-fork-twice.ts': {
      'forks-released': new RegExp(
        String.raw`^philosopher \d called release\(\d\) without holding fork \d \((nobody|philosopher \d) held it\) ${CONTROLLED}: release\(\) throws an Error then$`,
      ),
      meals: /^philosopher \d threw Error: release\(\d\): philosopher \d does not hold fork \d/,
    },
  },
  {
    meals: /^every philosopher ate exactly 12 times holding both of its forks, at 3 tables of 2, 5, 7 seats$/,
    'no-deadlock':
      /^30 controlled runs with 2 seats: no deadlock; 30 controlled runs with 5 seats: no deadlock; 30 controlled runs with 7 seats: no deadlock; no deadlock at 3 tables/,
    'finishes-in-time': /^all 3 tables of 2, 5, 7 seats finished; the longest took [\d,]+ ms$/,
  },
);
