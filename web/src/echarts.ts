/** ECharts with only the pieces the dashboard uses; loaded on first chart so pages paint before it arrives. */
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridSimpleComponent, LegendPlainComponent, MarkLineComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, LineChart, HeatmapChart, GridSimpleComponent, TooltipComponent, LegendPlainComponent, VisualMapContinuousComponent, MarkLineComponent, SVGRenderer]);

export { init };
