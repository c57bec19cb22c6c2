export { GenerationPipeline } from './generation-pipeline.js';
export {
  PipelineConfigError,
  resolvePipelineConfig,
  type GenerationPipelineOptions,
  type PipelineConfig,
  type PipelineProviders,
  type ResolvedPipelineConfig,
} from './pipeline-options.js';
export { FfmpegThumbnailMaker, type ThumbnailMaker } from './thumbnail-maker.js';
export { JobQueue, type ClaimedJob, type FinishedStatus } from './job-queue.js';
export { GenerationIntake, intakeCheckpointName } from './intake.js';
export {
  CommandRejectedError,
  PipelineError,
  StageFailedError,
  WorkInterruptedError,
} from './pipeline-errors.js';
export { DeliveryUnrecordedError } from './stages/deliver-video.js';
export { providersNote } from './providers-note.js';
export { classifyFailure } from './classify-failure.js';
