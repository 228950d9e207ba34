// Text that explains the fields of the run settings form: the values each
// number field accepts, and what an empty optional field means. No DOM.

import { TEST_SET_SIZE, formatCount } from "./model.js";

// Images in the Fashion-MNIST training set.
export const TRAIN_SET_SIZE = 60_000;

/**
 * Counts the full batches of `batchSize` images in the training set, which is
 * what an epoch runs when "Batches per epoch" is empty. The trainer's
 * `batches_in_epoch` skips the last incomplete batch the same way. Null for a
 * batch size that is not a positive integer.
 */
export function fullBatchCount(batchSize) {
  if (!Number.isInteger(batchSize) || batchSize <= 0) return null;
  return Math.floor(TRAIN_SET_SIZE / batchSize);
}

/**
 * Returns the placeholder that explains what leaving field `name` empty means,
 * for the form's current `values`; null for a field that is never empty.
 */
export function emptyFieldPlaceholder(name, values) {
  if (name === "batches_per_epoch") {
    const count = fullBatchCount(values.batch_size);
    return count == null ? "all full batches" : `all ${formatCount(count)}`;
  }
  if (name === "test_batches") return `all ${formatCount(TEST_SET_SIZE)} test images`;
  return null;
}

/** Describes the values a field accepts, such as "1 to 10,000, or empty"; null without both bounds. */
export function describeAllowedValues(field) {
  if (field.minimum == null || field.maximum == null) return null;
  const range = `${formatCount(field.minimum)} to ${formatCount(field.maximum)}`;
  return field.nullable ? `${range}, or empty` : range;
}
