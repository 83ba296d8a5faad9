/**
 * The report of bench/runtime-compare.js: what each row reads from its children's JSON, and the
 * Markdown table of old against new. A sample is one child's output: { run, measurement, side, result }.
 */

/**
 * Each row: which measurement's children it reads and the values one child gives. A row with
 * `each` has one value per child (a median over that child's iterations), pooled over the runs;
 * a row without it pools every grading of every child.
 */
function rows(exercises) {
  return [
    {
      label: 'trivial submission in the sandbox (transpile, isolate, run, dispose)',
      measurement: 'trivial',
      unit: 'ms',
      values: (result) => [result.isolate.median],
      each: (result) => `the median of ${result.isolate.n}`,
    },
    {
      label: 'trivial submission, a fresh `node` process instead',
      measurement: 'trivial',
      unit: 'ms',
      values: (result) => [result.process.median],
      each: (result) => `the median of ${result.process.n}`,
    },
    {
      label: 'ratio process / sandbox',
      measurement: 'trivial',
      unit: 'x',
      values: (result) => [result.process.median / result.isolate.median],
      each: () => 'of the two medians above',
    },
    {
      label: '`fetch-all` reference, one grading in-process: wall',
      measurement: 'fetch-all',
      unit: 'ms',
      values: (result) => [result.fetchAll.median],
      each: (result) => `the median of ${result.fetchAll.n}`,
    },
    {
      label: '`fetch-all` reference, one grading: sandbox-process CPU',
      measurement: 'fetch-all',
      unit: 'ms',
      values: (result) => [result.fetchAll.cpuMedian],
      each: (result) => `the median of ${result.fetchAll.n}`,
    },
    ...exercises.map((slug) => ({
      label: `\`${slug}\` reference, one grading (pool of one)`,
      measurement: slug,
      unit: 'ms',
      values: (result) => referenceOf(result).times,
    })),
  ];
}

const referenceOf = (result) => result.results[0].files[0];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const number = (value, unit) =>
  unit === 'x' || value < 100 ? value.toFixed(unit === 'x' ? 1 : 2) : String(Math.round(value));
const format = (value, unit) => `${number(value, unit)}${unit === 'x' ? 'x' : ' ms'}`;

function stats(values, unit) {
  if (values.length === 0) return { median: undefined, cells: ['–', '–'] };
  const at = median(values);
  const range = `${number(Math.min(...values), unit)}–${format(Math.max(...values), unit)}`;
  return { median: at, cells: [format(at, unit), range] };
}

/** The Markdown table, then a line for every reference grading that did not pass or was not the same each time. */
function summaryTable(sides, samples, { runs, exercises }) {
  const [oldSide, newSide] = sides;
  const lines = [
    `| measure | ${oldSide.name}: median | ${oldSide.name}: min–max | ${newSide.name}: median | ${newSide.name}: min–max | ${newSide.name} / ${oldSide.name} (medians) | samples (${oldSide.name} / ${newSide.name}) |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows(exercises)) {
    const samplesOf = (side) =>
      samples.filter((sample) => sample.side === side.name && sample.measurement === row.measurement);
    const valuesOf = (side) => samplesOf(side).flatMap((sample) => row.values(sample.result));
    const before = stats(valuesOf(oldSide), row.unit);
    const after = stats(valuesOf(newSide), row.unit);
    const ratio =
      before.median !== undefined && after.median !== undefined
        ? `${(after.median / before.median).toFixed(2)}`
        : '–';
    const count = `${valuesOf(oldSide).length} / ${valuesOf(newSide).length}`;
    const anyChild = [...samplesOf(oldSide), ...samplesOf(newSide)][0];
    const samplesCell = row.each
      ? `${count} runs, each ${anyChild ? row.each(anyChild.result) : '–'}`
      : `${count} gradings over ${runs} run${runs === 1 ? '' : 's'}`;
    lines.push(
      `| ${row.label} | ${before.cells.join(' | ')} | ${after.cells.join(' | ')} | ${ratio} | ${samplesCell} |`,
    );
  }
  for (const side of sides)
    for (const slug of exercises) {
      const references = samples
        .filter((sample) => sample.side === side.name && sample.measurement === slug)
        .map((sample) => referenceOf(sample.result));
      const statuses = references.flatMap((reference) => reference.statuses);
      const failed = statuses.filter((status) => status !== 'passed');
      if (failed.length > 0)
        lines.push(
          `\n${side.name}: ${failed.length} of ${statuses.length} \`${slug}\` gradings did not pass: ${failed.join(', ')}`,
        );
      const outcomes = new Set(references.flatMap((reference) => Object.keys(reference.outcomes)));
      if (outcomes.size > 1)
        lines.push(
          `\n${side.name}: \`${slug}\` graded differently with the same seed: ${[...outcomes].join(' | ')}`,
        );
    }
  return lines;
}

/** One line per side: its checkout, its Node binary, and the runtime its children reported. */
function runtimeLines(sides, samples) {
  return sides.map((side) => {
    const seen = new Set(
      samples
        .filter((sample) => sample.side === side.name)
        .map(
          ({ result: { runtime } }) =>
            `Node ${runtime.node} (V8 ${runtime.v8}), isolated-vm ${runtime.isolatedVm}`,
        ),
    );
    const runtime = seen.size === 0 ? 'no child finished' : [...seen].join('; DIFFERENT IN SOME CHILDREN: ');
    return `- ${side.name}: ${runtime}; checkout ${side.root}, ${side.node}`;
  });
}

module.exports = { summaryTable, runtimeLines };
