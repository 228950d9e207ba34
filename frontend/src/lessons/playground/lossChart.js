/**
 * The loss chart: train and test loss per epoch for each configuration.
 * Hovering shows the epoch and every value in the legend.
 */
import { createLineChart } from "../../charts/lineChart.js";
import {
  formatLossTicks,
  lossAxisRange,
  lossTicks,
  lossUnit,
  scaleColumns,
} from "./lossAxis.js";
import { formatLoss } from "./numberFormat.js";
import { RUN_NAMES } from "./runPanel.js";

const RUN_COLORS = [
  { train: "#1b5a8a", test: "#e66101" },
  { train: "#5e3c99", test: "#8c6d00" },
];

/** Returns the chart columns: epochs, then train and test loss per run. */
export function historyColumns(histories) {
  const numEpochs = Math.max(...histories.map((history) => history.length));
  const epochs = Array.from({ length: numEpochs }, (_, index) => index);
  const columns = [epochs];
  for (const history of histories) {
    for (const metric of ["trainLoss", "testLoss"]) {
      columns.push(epochs.map((epoch) => {
        const value = history[epoch]?.[metric];
        return Number.isFinite(value) ? value : null;
      }));
    }
  }
  return columns;
}

/**
 * Creates the chart for `numRuns` configurations inside `container`.
 * Returns { update(histories), canvas(), destroy() }.
 */
export function createLossChart(container, numRuns) {
  const series = [];
  for (let runIndex = 0; runIndex < numRuns; runIndex++) {
    const prefix = numRuns > 1 ? `${RUN_NAMES[runIndex]} ` : "";
    series.push(
      { label: `${prefix}training loss`, color: RUN_COLORS[runIndex].train },
      { label: `${prefix}test loss`, color: RUN_COLORS[runIndex].test, dash: [6, 3] },
    );
  }
  // The chart plots losses divided by `unit`; labels and hover values multiply back.
  let unit = 1;
  // uPlot computes the range before the ticks, so the ticks reuse its step.
  let axis = lossAxisRange(null, null);
  const chart = createLineChart(container, {
    xLabel: "epoch",
    yLabel: "loss",
    series,
    heightCss: 200,
    formatValue: (value) => formatLoss(value === null ? null : value * unit, 4),
    linearY: {
      range: (_, dataMin, dataMax) => {
        axis = lossAxisRange(dataMin, dataMax);
        return [axis.min, axis.max];
      },
      splits: () => lossTicks(axis.min, axis.max, axis.step),
      values: (_, ticks) => {
        const labels = formatLossTicks(
          ticks.map((tick) => tick * unit),
          axis.step * unit,
        );
        // uPlot draws the labels on the canvas; the attribute keeps them readable as text.
        container.dataset.yTicks = labels.join(" ");
        return labels;
      },
    },
  });
  return {
    update(histories) {
      const columns = historyColumns(histories);
      // A loop, because spreading a long history into Math.max overflows the stack.
      let maxLoss = 0;
      for (const values of columns.slice(1)) {
        for (const value of values) if (value !== null && value > maxLoss) maxLoss = value;
      }
      unit = lossUnit(maxLoss);
      chart.setData(...scaleColumns(columns, unit));
    },
    canvas: () => container.querySelector("canvas"),
    destroy() {
      chart.destroy();
      container.replaceChildren();
    },
  };
}
