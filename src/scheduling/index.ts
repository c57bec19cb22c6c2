export { startScheduler, type RunningScheduler, type SchedulerConfig, type SchedulerOptions } from './scheduler.js';
export { DailyReportJob, type ReportOutcome, type ReportTrigger } from './daily-report/daily-report-job.js';
export { CleanupJob, type CleanupOutcome, type TemporaryFileCleaner } from './cleanup/cleanup-job.js';
export { addDays, assertTimeZone, localDay, localDayWindow, startOfLocalDay } from './time-zone.js';
