import { useState } from 'react';
import type { FieldError } from '../../api/result';
import type { ScoreResult, TraceCreate, TraceDetail } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatTime } from '../../components/format';
import { EXAMPLE_TRACE_TEXT } from './exampleTrace';
import { fetchTrace, scoreTrace, uploadTrace, useRecentTraces } from './useTraces';

interface Failure {
  message: string;
  fieldErrors: FieldError[];
}

/** Upload, fetch, score and browse reasoning traces. */
export function TracesPanel() {
  const recent = useRecentTraces();
  const [editorText, setEditorText] = useState('');
  const [uploading, setUploading] = useState(false);
  const [uploaded, setUploaded] = useState<string | null>(null);
  const [uploadError, setUploadError] = useState<Failure | null>(null);

  const [traceId, setTraceId] = useState('');
  const [trace, setTrace] = useState<TraceDetail | null>(null);
  const [fetchError, setFetchError] = useState<Failure | null>(null);
  const [score, setScore] = useState<ScoreResult | null>(null);
  const [scoreError, setScoreError] = useState<string | null>(null);

  const onUpload = async () => {
    setUploaded(null);
    setUploadError(null);
    let body: TraceCreate;
    try {
      body = JSON.parse(editorText) as TraceCreate;
    } catch (err) {
      setUploadError({
        message: `Invalid JSON: ${err instanceof Error ? err.message : String(err)}`,
        fieldErrors: [],
      });
      return;
    }
    setUploading(true);
    const result = await uploadTrace(body);
    setUploading(false);
    if (result.ok) {
      setUploaded(result.data.id);
      setTraceId(result.data.id);
      void recent.reload();
    } else {
      setUploadError({ message: result.message, fieldErrors: result.fieldErrors });
    }
  };

  const loadTrace = async (id: string) => {
    const wanted = id.trim();
    setTraceId(wanted);
    setFetchError(null);
    setScore(null);
    setScoreError(null);
    if (!wanted) {
      setTrace(null);
      setFetchError({ message: 'Enter a trace id', fieldErrors: [] });
      return;
    }
    const result = await fetchTrace(wanted);
    if (result.ok) {
      setTrace(result.data);
    } else {
      setTrace(null);
      setFetchError({ message: result.message, fieldErrors: result.fieldErrors });
    }
  };

  const onScore = async () => {
    if (!trace) return;
    setScoreError(null);
    const result = await scoreTrace(trace.id);
    if (result.ok) setScore(result.data);
    else setScoreError(result.message);
  };

  return (
    <section className="panel" data-testid="traces-panel" aria-labelledby="traces-title">
      <h2 id="traces-title">Traces</h2>

      <div className="field">
        <div className="row">
          <label htmlFor="trace-editor">Trace JSON</label>
          <button
            type="button"
            data-testid="trace-load-example"
            onClick={() => setEditorText(EXAMPLE_TRACE_TEXT)}
          >
            Load example
          </button>
        </div>
        <textarea
          id="trace-editor"
          data-testid="trace-editor"
          rows={12}
          spellCheck={false}
          value={editorText}
          onChange={(e) => setEditorText(e.target.value)}
          placeholder='{"trace_version": "1.0", "prompt": "...", "steps": [...], "final_answer": "..."}'
        />
      </div>
      <div className="row">
        <button
          type="button"
          className="primary"
          data-testid="trace-upload"
          disabled={uploading}
          onClick={() => void onUpload()}
        >
          {uploading ? 'Uploading…' : 'Upload'}
        </button>
      </div>
      {uploaded && (
        <p className="success" data-testid="trace-upload-result">
          Uploaded trace <code>{uploaded}</code>
        </p>
      )}
      {uploadError && (
        <ErrorMessage
          testId="trace-upload-error"
          message={uploadError.message}
          fieldErrors={uploadError.fieldErrors}
        />
      )}

      <h3>Fetch by id</h3>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void loadTrace(traceId);
        }}
      >
        <input
          aria-label="Trace id"
          data-testid="trace-id-input"
          placeholder="trace id"
          value={traceId}
          onChange={(e) => setTraceId(e.target.value)}
        />
        <button type="submit" data-testid="trace-fetch">
          Fetch
        </button>
      </form>
      {fetchError && (
        <ErrorMessage
          testId="trace-fetch-error"
          message={fetchError.message}
          fieldErrors={fetchError.fieldErrors}
        />
      )}
      {trace && (
        <div className="result" data-testid="trace-result">
          <p>
            <code data-testid="trace-result-id">{trace.id}</code> · version {trace.trace_version} ·{' '}
            {formatTime(trace.created_at)}
          </p>
          <pre className="log" data-testid="trace-payload">
            {JSON.stringify(trace.payload, null, 2)}
          </pre>
          <div className="row">
            <button type="button" data-testid="trace-score" onClick={() => void onScore()}>
              Score
            </button>
            {score && (
              <span data-testid="trace-score-result">
                Score <strong>{score.score.toFixed(2)}</strong>
              </span>
            )}
          </div>
          {score && (
            <pre className="log small" data-testid="trace-score-details">
              {JSON.stringify(score.details, null, 2)}
            </pre>
          )}
          {scoreError && <ErrorMessage testId="trace-score-error" message={scoreError} />}
        </div>
      )}

      <div className="row">
        <h3>Recent traces</h3>
        <button type="button" data-testid="recent-traces-refresh" onClick={() => void recent.reload()}>
          Refresh
        </button>
      </div>
      {recent.error && <ErrorMessage testId="recent-traces-error" message={recent.error} />}
      <ul className="plain" data-testid="recent-traces">
        {recent.items.length === 0 && !recent.error && <li className="muted">No traces yet</li>}
        {recent.items.map((item) => (
          <li key={item.id}>
            <button
              type="button"
              className="link"
              data-testid={`recent-trace-${item.id}`}
              onClick={() => void loadTrace(item.id)}
            >
              {item.id}
            </button>{' '}
            <span className="muted">{formatTime(item.created_at)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
