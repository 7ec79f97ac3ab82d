export {
  type BullmqTransportOptions,
  bullmqTransport,
} from './bullmq/transport.js';
export {
  type CreateWorkerOptions,
  createWorker,
  type JobErrorContext,
  type JobErrorHook,
} from './bullmq/worker.js';
