/**
 * The loss chart: train and test loss per epoch for each configuration.
 * Hovering shows the epoch and every value in the legend.
 */
import { createLineChart } from "../../charts/lineChart.js";
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
  const chart = createLineChart(container, {
    xLabel: "epoch",
    yLabel: "loss",
    series,
    heightCss: 200,
    formatValue: (value) => (value == null ? "-" : value.toFixed(4)),
  });
  return {
    update(histories) {
      chart.setData(...historyColumns(histories));
    },
    canvas: () => container.querySelector("canvas"),
    destroy() {
      chart.destroy();
      container.replaceChildren();
    },
  };
}
