// Trace context through the queue, with core's span helpers (which use @opentelemetry/api only: with
// no SDK registered all of this is a no-op). A job carries the W3C context of whoever made it: an
// event job the service's (from `enqueue()`), a delivery job its event's `notify` span, so that a
// worker's spans join the trace of the call that enqueued the alert, on any machine. Attributes follow
// the messaging semantic conventions where one exists; none holds a secret, an address or a URL.
import {
  type AlertEvent,
  type DeliveryRecord,
  endDeliverySpan,
  extractTraceContext,
  injectTraceContext,
  type QueueState,
  type RouteKind,
  recordChannel,
  startDeliverySpan,
  startNotifySpan,
  type TracedSpan,
  traceAttributes,
} from '@pytake/notify-core';

/** The trace context a job carries (`traceparent`, `tracestate`); absent when nothing is traced. */
export type TraceCarrier = Record<string, string>;

/** The attribute names this package adds to core's. */
export const queueTraceAttributes = {
  /** Semantic conventions (messaging): the queue system, the operation, the queue and the job id. */
  messagingSystem: 'messaging.system',
  messagingOperationType: 'messaging.operation.type',
  messagingOperationName: 'messaging.operation.name',
  messagingDestination: 'messaging.destination.name',
  messagingMessageId: 'messaging.message.id',
  /** Delivery jobs an event run fanned out. */
  queuedDeliveries: 'pytake.notify.deliveries.queued',
  /** On a rate-limit wait: true when it waits out a 429's hold rather than its own slot. */
  held: 'pytake.notify.rate_limit.held',
} as const;

// Span status ERROR (SpanStatusCode.ERROR of @opentelemetry/api, which this package does not import).
const ERROR = 2;

/** The context of `from` (default: the active one) to put in a job's data, or undefined when there is none. */
export function traceCarrier(from?: TracedSpan['context']): TraceCarrier | undefined {
  const carrier = injectTraceContext(from);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

const processAttributes = (queueName: string, jobId: string | undefined) => ({
  [queueTraceAttributes.messagingSystem]: 'bullmq',
  [queueTraceAttributes.messagingOperationType]: 'process',
  [queueTraceAttributes.messagingOperationName]: 'process',
  [queueTraceAttributes.messagingDestination]: queueName,
  ...(jobId ? { [queueTraceAttributes.messagingMessageId]: jobId } : {}),
});

/**
 * The span of one run of an event job: core's `notify <type>` span, a child of the context the job
 * carries (a new trace for a job made without one, by older code). Records made by the run get a
 * child span each; its delivery jobs carry `carrier()`.
 */
export function startEventRun(
  event: AlertEvent,
  job: { id?: string; data: { trace?: TraceCarrier } },
  queueName: string,
) {
  const traced = startNotifySpan(event, extractTraceContext(job.data.trace));
  traced.span.setAttributes(processAttributes(queueName, job.id));
  return {
    carrier: () => traceCarrier(traced.context),
    record(record: DeliveryRecord) {
      endDeliverySpan(startDeliverySpan(traced.context, { channel: record.channel }).span, record);
    },
    retry(attempt: number, code: string) {
      traced.span.addEvent('pytake.notify.retry', {
        [traceAttributes.retryAttempt]: attempt,
        [traceAttributes.errorType]: code,
      });
    },
    end(outcome: { queued?: number; error?: string } = {}) {
      if (outcome.queued !== undefined)
        traced.span.setAttribute(queueTraceAttributes.queuedDeliveries, outcome.queued);
      if (outcome.error) {
        traced.span.setAttribute(traceAttributes.errorType, outcome.error);
        traced.span.setStatus({ code: ERROR });
      }
      traced.span.end();
    },
  };
}
export type EventRun = ReturnType<typeof startEventRun>;

/**
 * The span of one run of a delivery job: core's `deliver <channel>` span, a child of its event's
 * `notify` span. A delivery can take several runs (a wait for a rate-limit slot or a 429 hold is a
 * delayed job, a retry is another run, maybe on another worker): each is a span of the same parent,
 * ending with the record it made, or with the queue state it left the delivery in (`delayed`,
 * `retrying`, `dead`, `waiting`) and the wait or retry as a span event.
 */
export function startDeliveryRun(
  route: RouteKind,
  job: { id?: string; attemptsMade: number; data: { targetId: string; trace?: TraceCarrier } },
  queueName: string,
) {
  const traced = startDeliverySpan(extractTraceContext(job.data.trace), {
    channel: recordChannel[route],
    route,
    targetId: job.data.targetId,
  });
  traced.span.setAttributes(processAttributes(queueName, job.id));
  let ended = false;
  const endWith = (state: QueueState | 'waiting', error?: string, attempts = job.attemptsMade) => {
    if (ended) return;
    ended = true;
    traced.span.setAttributes({ [traceAttributes.status]: state, [traceAttributes.attempts]: attempts });
    if (error) traced.span.setAttribute(traceAttributes.errorType, error);
    if (state === 'dead') traced.span.setStatus({ code: ERROR });
    traced.span.end();
  };
  return {
    /** This run made `record`: its outcome. */
    record(record: DeliveryRecord) {
      if (ended) return;
      ended = true;
      endDeliverySpan(traced.span, record);
    },
    /** This run leaves the delivery waiting `waitMs` as a delayed job (or, `inProcess`, waits it out itself). */
    wait(waitMs: number, why: 'rate_limit' | 'held' | 'claim' | 'order', inProcess = false) {
      const rateLimited = why === 'rate_limit' || why === 'held';
      traced.span.addEvent(rateLimited ? 'pytake.notify.rate_limit_wait' : `pytake.notify.${why}_wait`, {
        [traceAttributes.retryDelayMs]: Math.ceil(waitMs),
        ...(rateLimited ? { [queueTraceAttributes.held]: why === 'held' } : {}),
      });
      if (!inProcess) endWith('delayed');
    },
    /** This run failed with `code`; the job runs again after its backoff (`retrying`) or is `dead`. */
    failed(code: string, last: boolean) {
      if (!last) {
        traced.span.addEvent('pytake.notify.retry', {
          [traceAttributes.retryAttempt]: job.attemptsMade + 1,
          [traceAttributes.errorType]: code,
        });
      }
      endWith(last ? 'dead' : 'retrying', code, job.attemptsMade + 1);
    },
    /** Aborted by `close()`: back to the queue. */
    requeued() {
      endWith('waiting');
    },
    /** Ends the span if nothing above did (an error this run could not classify). */
    end(error?: string) {
      endWith(error ? 'retrying' : 'waiting', error);
    },
  };
}
export type DeliveryRun = ReturnType<typeof startDeliveryRun>;
