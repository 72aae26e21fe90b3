import { useState } from 'react';
import type { ComparedTrace } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useCompare } from './useCompare';

interface Step {
  i?: unknown;
  type?: unknown;
  content?: unknown;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

function TraceColumn({ side, trace }: { side: 'base' | 'other'; trace: ComparedTrace }) {
  const payload = trace.payload as { prompt?: unknown; steps?: unknown; final_answer?: unknown };
  const steps: Step[] = Array.isArray(payload.steps) ? (payload.steps as Step[]) : [];
  return (
    <div className="column" data-testid={`compare-${side}-column`}>
      <h3>
        {side === 'base' ? 'Base' : 'Other'}{' '}
        <span className="score" data-testid={`compare-${side}-score`}>
          score {trace.score.toFixed(2)}
        </span>
      </h3>
      <p className="muted">
        <code>{trace.id}</code>
      </p>
      <h4>Prompt</h4>
      <p className="prewrap" data-testid={`compare-${side}-prompt`}>
        {text(payload.prompt)}
      </p>
      <h4>Steps ({steps.length})</h4>
      <ol className="steps" data-testid={`compare-${side}-steps`}>
        {steps.map((step, idx) => (
          <li key={idx}>
            <span className="muted">[{text(step.type)}]</span>{' '}
            <span className="prewrap">{text(step.content)}</span>
          </li>
        ))}
      </ol>
      <h4>Final answer</h4>
      <p className="prewrap" data-testid={`compare-${side}-answer`}>
        {text(payload.final_answer)}
      </p>
    </div>
  );
}

/** Two trace ids in, the traces side by side with their baseline scores out. */
export function ComparePanel() {
  const [base, setBase] = useState('');
  const [other, setOther] = useState('');
  const { state, compare } = useCompare();

  return (
    <section className="panel" data-testid="compare-panel" aria-labelledby="compare-title">
      <h2 id="compare-title">Compare</h2>
      <form
        className="row wrap"
        onSubmit={(e) => {
          e.preventDefault();
          void compare(base, other);
        }}
      >
        <input
          aria-label="Base trace id"
          data-testid="compare-base"
          placeholder="base trace id"
          value={base}
          onChange={(e) => setBase(e.target.value)}
        />
        <input
          aria-label="Other trace id"
          data-testid="compare-other"
          placeholder="other trace id"
          value={other}
          onChange={(e) => setOther(e.target.value)}
        />
        <button
          type="submit"
          className="primary"
          data-testid="compare-submit"
          disabled={state.kind === 'loading'}
        >
          {state.kind === 'loading' ? 'Comparing…' : 'Compare'}
        </button>
      </form>
      {state.kind === 'error' && <ErrorMessage testId="compare-error" message={state.message} />}
      {state.kind === 'done' && (
        <div className="columns" data-testid="compare-result">
          <TraceColumn side="base" trace={state.comparison.base} />
          <TraceColumn side="other" trace={state.comparison.other} />
        </div>
      )}
    </section>
  );
}
