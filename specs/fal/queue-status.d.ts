// Vendored from the npm package @fal-ai/client 1.10.1 (the version package-lock.json pins), file
// src/types/common.d.ts, copied 2026-12-02: the queue status types the SDK reads (submit answers an InQueueQueueStatus, status polls any QueueStatus).
// The types below were cut out of that file with their text unchanged; see specs/README.md.
export type RequestLog = {
    message: string;
    level: "STDERR" | "STDOUT" | "ERROR" | "INFO" | "WARN" | "DEBUG";
    source: "USER";
    timestamp: string;
};
export type Metrics = {
    inference_time: number | null;
};
interface BaseQueueStatus {
    status: "IN_QUEUE" | "IN_PROGRESS" | "COMPLETED";
    request_id: string;
    response_url: string;
    status_url: string;
    cancel_url: string;
}
export interface InQueueQueueStatus extends BaseQueueStatus {
    status: "IN_QUEUE";
    queue_position: number;
}
export interface InProgressQueueStatus extends BaseQueueStatus {
    status: "IN_PROGRESS";
    logs: RequestLog[];
}
export interface CompletedQueueStatus extends BaseQueueStatus {
    status: "COMPLETED";
    logs: RequestLog[];
    metrics?: Metrics;
}
export type QueueStatus = InProgressQueueStatus | CompletedQueueStatus | InQueueQueueStatus;
