export { computeDailyFigures, summarizeFigures, reportFormats, type DailyFigures, type FormatFigures, type StageTiming } from './daily-figures.js';
export { renderReportPng, renderReportSvg, CHART_WIDTH, CHART_HEIGHT } from './report-chart.js';
export { renderReportCaption, CAPTION_LIMIT } from './report-caption.js';
export { telegramReportSender, ReportSendError, type AdminReportSender, type ReportMessage } from './report-sender.js';
