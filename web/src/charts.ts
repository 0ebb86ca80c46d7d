/**
 * ECharts with only the pieces the dashboard uses (tree-shaken from echarts/core), drawn as SVG so
 * charts stay sharp on phones and are plain DOM for the browser tests.
 */
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, MarkLineComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { h } from './dom.js';

let echarts: Promise<typeof import('./echarts.js')> | null = null;
const loadEcharts = () => (echarts ??= import('./echarts.js'));

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | VisualMapComponentOption | MarkLineComponentOption
>;

/** Colours shared by every chart: observed data vs what chance alone gives. */
export const COLORS = { observed: '#2563eb', chance: '#858e9c', accent: '#e11d48', good: '#059669', ink: '#1f2937', muted: '#6b7280', grid: '#e5e7eb' };

export const baseText = { color: COLORS.ink, fontFamily: 'inherit' };

/** A chart in a labelled figure; it follows its container's width and is disposed with the page. */
export function chart(title: string, option: ChartOption, height = 280, caption?: string): HTMLElement {
  const box = h('div', { class: 'chart', style: `height:${height}px`, role: 'img', 'aria-label': title });
  const fig = h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), box, caption ? h('p', { class: 'chart-note' }, caption) : null);
  // Initialise once the figure is in the document so the width is known.
  const generation = pageGeneration;
  void loadEcharts().then(({ init }) => {
    if (!box.isConnected || generation !== pageGeneration) return;
    const c = init(box, undefined, { renderer: 'svg' });
    c.setOption({ textStyle: baseText, animation: false, ...option });
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(box);
    box.setAttribute('data-rendered', 'true');
    disposers.push(() => {
      ro.disconnect();
      c.dispose();
    });
  });
  return fig;
}

const disposers: Array<() => void> = [];
let pageGeneration = 0;

/** Called by the router before a page is replaced. */
export function disposeCharts(): void {
  pageGeneration += 1;
  while (disposers.length) disposers.pop()?.();
}
