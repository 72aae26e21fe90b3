import type { TraceCreate } from '../../api/types';

/** A small valid trace for the "Load example" button. */
export const EXAMPLE_TRACE: TraceCreate = {
  trace_version: '1.0',
  prompt: 'A train travels 120 km in 1.5 hours. What is its average speed?',
  steps: [
    { i: 0, type: 'parse', content: 'Distance is 120 km and time is 1.5 hours.' },
    { i: 1, type: 'plan', content: 'Average speed is distance divided by time.' },
    { i: 2, type: 'compute', content: '120 / 1.5 = 80.' },
  ],
  final_answer: '80 km/h',
  meta: { source: 'example' },
};

export const EXAMPLE_TRACE_TEXT = JSON.stringify(EXAMPLE_TRACE, null, 2);
