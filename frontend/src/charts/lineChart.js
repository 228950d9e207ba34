import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

const DEFAULT_HEIGHT_CSS = 220;
// Tick spacings uPlot may choose from for a whole-number x axis.
const INTEGER_TICK_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 100000];

/**
 * A line chart drawn by uPlot that follows its container's width.
 *
 * `series` lists the y series: { label, color, dash }. Hovering shows the x
 * value and every series' value in the legend. `logY` switches the y axis to
 * a log scale; values at or below zero are then left out. `linearY` contains
 * uPlot options for the linear y axis: `range` for its scale, `splits` and
 * `values` for its ticks.
 * Returns { setData(xs, ...ys), setLogY(isLog), destroy() }.
 */
export function createLineChart(
  container,
  {
    xLabel,
    yLabel,
    series,
    logY = false,
    integerX = true,
    heightCss = DEFAULT_HEIGHT_CSS,
    formatValue,
    linearY = {},
  },
) {
  const format = formatValue ?? ((value) => (value == null ? "-" : Number(value).toPrecision(4)));
  let data = [[], ...series.map(() => [])];
  let isLogY = logY;
  let plot = null;

  function build() {
    plot?.destroy();
    const widthCss = Math.max(container.clientWidth, 200);
    plot = new uPlot(
      {
        width: widthCss,
        height: heightCss,
        scales: { x: { time: false }, y: isLogY ? { distr: 3 } : { auto: true, ...pick(linearY, ["range"]) } },
        series: [
          { label: xLabel, value: (_, value) => (value == null ? "-" : String(value)) },
          ...series.map((item) => ({
            label: item.label,
            stroke: item.color,
            width: 2,
            dash: item.dash,
            spanGaps: false,
            value: (_, value) => format(value),
          })),
        ],
        axes: [
          integerX ? { label: xLabel, incrs: INTEGER_TICK_STEPS } : { label: xLabel },
          { label: yLabel, size: 60, ...(isLogY ? {} : pick(linearY, ["splits", "values"])) },
        ],
        cursor: { drag: { x: false, y: false } },
      },
      isLogY ? positiveOnly(data) : data,
      container,
    );
  }

  const resizeObserver = new ResizeObserver(() => {
    if (plot && container.clientWidth > 0 && container.clientWidth !== plot.width) {
      plot.setSize({ width: container.clientWidth, height: heightCss });
    }
  });
  resizeObserver.observe(container);
  build();

  return {
    setData(xs, ...ys) {
      data = [xs, ...ys];
      plot.setData(isLogY ? positiveOnly(data) : data);
    },
    setLogY(nextIsLogY) {
      if (nextIsLogY === isLogY) return;
      isLogY = nextIsLogY;
      build();
    },
    destroy() {
      resizeObserver.disconnect();
      plot?.destroy();
      plot = null;
    },
  };
}

/** Returns the entries of `options` named in `keys`, leaving out unset ones so uPlot's defaults apply. */
function pick(options, keys) {
  return Object.fromEntries(keys.filter((key) => options[key] !== undefined).map((key) => [key, options[key]]));
}

/** Replaces values a log axis cannot show (<= 0, NaN, null) by null. */
export function positiveOnly([xs, ...ys]) {
  return [
    xs,
    ...ys.map((values) =>
      values.map((value) => (value == null || !(value > 0) ? null : value)),
    ),
  ];
}
