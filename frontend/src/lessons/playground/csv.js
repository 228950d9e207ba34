/**
 * CSV import and export of the data points and of the loss history.
 *
 * Points use the header "x1,x2,label,set"; `set` is "train" or "test" and
 * may be left out, in which case the importer splits the rows itself.
 */
import { DOMAIN_LIMIT, splitTrainTest } from "./datasets.js";

export const POINTS_HEADER = ["x1", "x2", "label", "set"];
export const MAX_IMPORTED_POINTS = 5000;
const SET_NAMES = ["train", "test"];

/** Formats the points of `data` ({ train, test }) as CSV text. */
export function formatPointsCsv(data) {
  const lines = [POINTS_HEADER.join(",")];
  for (const setName of SET_NAMES) {
    for (const point of data[setName]) {
      // String(number) is the shortest text that parses back to the same double.
      lines.push(`${point.x1},${point.x2},${point.label},${setName}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function parseNumber(text, column, lineNumber) {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === "" || !Number.isFinite(value)) {
    throw new Error(`Line ${lineNumber}: ${column} "${text}" is not a number.`);
  }
  return value;
}

function checkLabel(label, problem, lineNumber) {
  if (problem === "classification" && label !== 1 && label !== -1) {
    throw new Error(
      `Line ${lineNumber}: label ${label} is invalid for classification; use 1 or -1.`,
    );
  }
  if (problem === "regression" && (label < -1 || label > 1)) {
    throw new Error(
      `Line ${lineNumber}: label ${label} is outside -1 to 1, the range of a regression label.`,
    );
  }
}

function readHeader(line) {
  const columns = line.split(",").map((column) => column.trim().toLowerCase());
  const required = POINTS_HEADER.slice(0, 3);
  const missing = required.filter((name) => !columns.includes(name));
  if (missing.length > 0) {
    throw new Error(
      `Line 1: the header must name the columns x1,x2,label (and optionally set); ` +
        `missing ${missing.join(", ")}.`,
    );
  }
  return Object.fromEntries(POINTS_HEADER.map((name) => [name, columns.indexOf(name)]));
}

function readRow(line, lineNumber, columnIndex, numColumns, problem) {
  const cells = line.split(",");
  if (cells.length !== numColumns) {
    throw new Error(
      `Line ${lineNumber}: expected ${numColumns} values, found ${cells.length}.`,
    );
  }
  const point = {};
  for (const name of ["x1", "x2"]) {
    const value = parseNumber(cells[columnIndex[name]], name, lineNumber);
    if (Math.abs(value) > DOMAIN_LIMIT) {
      throw new Error(
        `Line ${lineNumber}: ${name} = ${value} is outside the domain ` +
          `-${DOMAIN_LIMIT} to ${DOMAIN_LIMIT}.`,
      );
    }
    point[name] = value;
  }
  point.label = parseNumber(cells[columnIndex.label], "label", lineNumber);
  checkLabel(point.label, problem, lineNumber);
  let setName = null;
  if (columnIndex.set >= 0) {
    setName = cells[columnIndex.set].trim().toLowerCase();
    if (setName !== "" && !SET_NAMES.includes(setName)) {
      throw new Error(
        `Line ${lineNumber}: set "${setName}" is invalid; use train, test or leave it empty.`,
      );
    }
  }
  return { point, setName: setName || null };
}

/**
 * Parses CSV text into { train, test } for `problem`.
 *
 * Rows without a set are shuffled with `random` and split at
 * `trainPercent`. Throws an Error that names the line for a bad header or
 * value, and an Error for an empty file or one without training points.
 */
export function parsePointsCsv(text, { problem, trainPercent, random }) {
  const lines = text.split(/\r?\n/);
  const firstLineIndex = lines.findIndex((line) => line.trim() !== "");
  if (firstLineIndex < 0) throw new Error("The file is empty.");
  const columnIndex = readHeader(lines[firstLineIndex]);
  const numColumns = lines[firstLineIndex].split(",").length;

  const data = { train: [], test: [] };
  const unassigned = [];
  for (let index = firstLineIndex + 1; index < lines.length; index++) {
    if (lines[index].trim() === "") continue;
    const { point, setName } = readRow(
      lines[index],
      index + 1,
      columnIndex,
      numColumns,
      problem,
    );
    if (setName) data[setName].push(point);
    else unassigned.push(point);
    if (data.train.length + data.test.length + unassigned.length > MAX_IMPORTED_POINTS) {
      throw new Error(
        `The file has more than ${MAX_IMPORTED_POINTS} points; split it or remove some.`,
      );
    }
  }
  if (unassigned.length > 0) {
    const split = splitTrainTest(unassigned, trainPercent, random);
    data.train.push(...split.train);
    data.test.push(...split.test);
  }
  if (data.train.length === 0) {
    throw new Error("The file has no training points, so there is nothing to learn from.");
  }
  return data;
}

function formatMetric(value) {
  return value === null || value === undefined || Number.isNaN(value) ? "" : String(value);
}

/**
 * Formats loss histories as CSV: one row per epoch and, for each run named
 * in `names`, its train and test loss and, for classification, accuracy.
 */
export function formatHistoryCsv(histories, names, problem) {
  const metrics = ["trainLoss", "testLoss"];
  if (problem === "classification") metrics.push("trainAccuracy", "testAccuracy");
  const header = ["epoch"];
  for (const name of names) {
    for (const metric of metrics) header.push(`${name}_${metric}`);
  }
  const byEpoch = new Map();
  histories.forEach((history, runIndex) => {
    for (const record of history) {
      if (!byEpoch.has(record.epoch)) byEpoch.set(record.epoch, []);
      byEpoch.get(record.epoch)[runIndex] = record;
    }
  });
  const epochs = [...byEpoch.keys()].sort((a, b) => a - b);
  const lines = [header.join(",")];
  for (const epoch of epochs) {
    const cells = [String(epoch)];
    const records = byEpoch.get(epoch);
    histories.forEach((_, runIndex) => {
      for (const metric of metrics) cells.push(formatMetric(records[runIndex]?.[metric]));
    });
    lines.push(cells.join(","));
  }
  return `${lines.join("\n")}\n`;
}
