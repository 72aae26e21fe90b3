import type { RunDetail } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatDuration, formatTime } from '../../components/format';
import { StatusBadge } from '../../components/StatusBadge';
import { useRunHistory, type DetailState } from './useRunHistory';

interface Props {
  pollMs?: number;
}

function RunDetailView({ run, onClose }: { run: RunDetail; onClose: () => void }) {
  return (
    <div className="result" data-testid="run-detail" data-run-id={run.run_id}>
      <div className="row">
        <h3>
          Run <code>{run.run_id}</code>{' '}
          <StatusBadge status={run.status} testId="run-detail-status" />
        </h3>
        <button type="button" data-testid="run-detail-close" onClick={onClose}>
          Close
        </button>
      </div>
      <dl className="facts">
        <dt>Dataset</dt>
        <dd>{run.dataset_key}</dd>
        <dt>Model</dt>
        <dd>{run.model_id}</dd>
        <dt>Mode</dt>
        <dd>{run.mode}</dd>
        <dt>Exit code</dt>
        <dd data-testid="run-detail-exit-code">{run.exit_code ?? '—'}</dd>
        <dt>Started</dt>
        <dd>{formatTime(run.started_at)}</dd>
        <dt>Completed</dt>
        <dd>{formatTime(run.completed_at)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(run.duration_seconds)}</dd>
        <dt>Output dir</dt>
        <dd data-testid="run-detail-output-dir">
          {run.output_dir ? <code>{run.output_dir}</code> : '—'}
        </dd>
        <dt>Message</dt>
        <dd data-testid="run-detail-message">{run.message || '—'}</dd>
      </dl>
      <h4>Config</h4>
      <pre className="log small" data-testid="run-detail-config">
        {run.config ? JSON.stringify(run.config, null, 2) : '—'}
      </pre>
      <h4>stdout</h4>
      <pre className="log" data-testid="run-stdout">
        {run.stdout || '(empty)'}
      </pre>
      <h4>stderr</h4>
      <pre className="log" data-testid="run-stderr">
        {run.stderr || '(empty)'}
      </pre>
    </div>
  );
}

function DetailArea({ detail, onClose }: { detail: DetailState; onClose: () => void }) {
  switch (detail.kind) {
    case 'none':
      return null;
    case 'loading':
      return (
        <p className="muted" data-testid="run-detail-loading">
          Loading run {detail.runId}…
        </p>
      );
    case 'ready':
      return <RunDetailView run={detail.run} onClose={onClose} />;
    case 'missing':
    case 'error':
      return <ErrorMessage testId="run-detail-error" message={detail.message} />;
  }
}

/** Every Tunix run the registry holds, newest first, with details and logs on click. */
export function RunHistoryPanel({ pollMs }: Props) {
  const history = useRunHistory(pollMs);
  const { list, detail } = history;
  const selectedId =
    detail.kind === 'ready' ? detail.run.run_id : detail.kind === 'none' ? null : detail.runId;
  const first = history.offset + 1;
  const last = history.offset + list.runs.length;

  return (
    <section className="panel wide" data-testid="run-history" aria-labelledby="runs-title">
      <div className="row">
        <h2 id="runs-title">Run History</h2>
        <button type="button" data-testid="run-refresh" onClick={() => void history.refresh()}>
          Refresh
        </button>
      </div>

      {list.error && <ErrorMessage testId="runs-error" message={list.error} />}

      {!list.loaded && !list.error && (
        <p className="muted" data-testid="runs-loading">
          Loading runs…
        </p>
      )}

      {list.loaded && list.runs.length === 0 && (
        <p className="muted" data-testid="runs-empty">
          {history.offset === 0 ? 'No runs yet' : 'No more runs'}
        </p>
      )}

      {list.runs.length > 0 && (
        <table data-testid="runs-table">
          <thead>
            <tr>
              <th>Status</th>
              <th>Dataset</th>
              <th>Model</th>
              <th>Mode</th>
              <th>Started</th>
              <th>Duration</th>
            </tr>
          </thead>
          <tbody>
            {list.runs.map((run) => (
              <tr
                key={run.run_id}
                className={`clickable${run.run_id === selectedId ? ' selected' : ''}`}
                data-testid={`run-row-${run.run_id}`}
                tabIndex={0}
                onClick={() => void history.openRun(run.run_id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') void history.openRun(run.run_id);
                }}
              >
                <td>
                  <StatusBadge status={run.status} testId={`run-status-${run.run_id}`} />
                </td>
                <td>{run.dataset_key}</td>
                <td>{run.model_id}</td>
                <td>{run.mode}</td>
                <td>{formatTime(run.started_at)}</td>
                <td>{formatDuration(run.duration_seconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <div className="row">
        <button
          type="button"
          data-testid="runs-prev"
          disabled={!history.hasPrev}
          onClick={history.prevPage}
        >
          ← Previous
        </button>
        <span className="muted" data-testid="runs-page">
          {list.runs.length > 0 ? `Runs ${first}–${last}` : ''}
        </span>
        <button
          type="button"
          data-testid="runs-next"
          disabled={!history.hasNext}
          onClick={history.nextPage}
        >
          Next →
        </button>
      </div>

      <DetailArea detail={detail} onClose={history.closeRun} />
    </section>
  );
}
