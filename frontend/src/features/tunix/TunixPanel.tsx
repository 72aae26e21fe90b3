import { useState } from 'react';
import type { RunRequest, RunResponse } from '../../api/types';
import type { FieldError } from '../../api/result';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatDuration } from '../../components/format';
import { StatusBadge } from '../../components/StatusBadge';
import { TextField } from '../../components/TextField';
import { useRunEvents } from '../runs/runEvents';
import { localRunBlocker, previewManifest, startRun, useTunixStatus } from './useTunix';

export const DEFAULT_MODEL_ID = 'tiny-gemma3';

type HyperParams = Pick<
  RunRequest,
  'learning_rate' | 'num_epochs' | 'batch_size' | 'max_seq_length' | 'max_steps' | 'seed'
>;

interface Props {
  /** Controlled dataset key (e.g. picked in the Datasets panel); internal state when omitted. */
  datasetKey?: string;
  onDatasetKeyChange?: (key: string) => void;
}

interface Failure {
  message: string;
  fieldErrors: FieldError[];
}

type Busy = null | 'manifest' | 'dry_run' | 'local';

/** Tunix status, SFT manifest preview, and dry-run / local training runs. */
export function TunixPanel({ datasetKey: controlledKey, onDatasetKeyChange }: Props) {
  const status = useTunixStatus();
  const runEvents = useRunEvents();
  const [localKey, setLocalKey] = useState('');
  const datasetKey = controlledKey ?? localKey;
  const setDatasetKey = onDatasetKeyChange ?? setLocalKey;

  const [modelId, setModelId] = useState(DEFAULT_MODEL_ID);
  const [outputDir, setOutputDir] = useState('');
  const [learningRate, setLearningRate] = useState('2e-5');
  const [epochs, setEpochs] = useState('3');
  const [batchSize, setBatchSize] = useState('8');
  const [maxSeqLength, setMaxSeqLength] = useState('2048');
  const [maxSteps, setMaxSteps] = useState('');
  const [seed, setSeed] = useState('0');

  const [busy, setBusy] = useState<Busy>(null);
  const [manifest, setManifest] = useState<string | null>(null);
  const [result, setResult] = useState<RunResponse | null>(null);
  const [error, setError] = useState<Failure | null>(null);

  const blocker = localRunBlocker(status);

  const hyperParams = (): HyperParams => {
    const params: HyperParams = {
      learning_rate: Number(learningRate),
      num_epochs: Number(epochs),
      batch_size: Number(batchSize),
      max_seq_length: Number(maxSeqLength),
      seed: Number(seed),
    };
    if (maxSteps.trim() !== '') params.max_steps = Number(maxSteps);
    return params;
  };

  const onManifest = async () => {
    setBusy('manifest');
    setError(null);
    setManifest(null);
    const res = await previewManifest({
      dataset_key: datasetKey.trim(),
      model_id: modelId.trim(),
      output_dir: outputDir.trim() || null,
      ...hyperParams(),
    });
    setBusy(null);
    if (res.ok) setManifest(res.data.manifest_yaml);
    else setError({ message: res.message, fieldErrors: res.fieldErrors });
  };

  const onRun = async (dryRun: boolean) => {
    setBusy(dryRun ? 'dry_run' : 'local');
    setError(null);
    setResult(null);
    runEvents.runStarted();
    try {
      const res = await startRun({
        dataset_key: datasetKey.trim(),
        model_id: modelId.trim(),
        dry_run: dryRun,
        output_dir: outputDir.trim() || null,
        ...hyperParams(),
      });
      if (res.ok) setResult(res.data);
      else setError({ message: res.message, fieldErrors: res.fieldErrors });
    } finally {
      setBusy(null);
      runEvents.runFinished();
    }
  };

  const running = busy === 'dry_run' || busy === 'local';

  return (
    <section className="panel" data-testid="tunix-panel" aria-labelledby="tunix-title">
      <h2 id="tunix-title">Tunix</h2>
      <div className="notice" data-testid="tunix-status" data-state={status.kind}>
        {status.kind === 'loading' && 'Checking Tunix…'}
        {status.kind === 'error' && `Tunix status unavailable: ${status.message}`}
        {status.kind === 'ready' &&
          (status.status.available ? (
            <>
              Tunix available
              {status.status.version ? ` (version ${status.status.version})` : ''}
            </>
          ) : (
            <>Tunix not available: {status.status.message}</>
          ))}
      </div>

      <div className="form-grid">
        <TextField
          label="Dataset key"
          testId="tunix-dataset-key"
          placeholder="name-version"
          value={datasetKey}
          onChange={setDatasetKey}
        />
        <TextField label="Model id" testId="tunix-model-id" value={modelId} onChange={setModelId} />
        <TextField
          label="Output dir"
          testId="tunix-output-dir"
          placeholder="default: per run"
          value={outputDir}
          onChange={setOutputDir}
        />
        <TextField
          label="Learning rate"
          testId="tunix-learning-rate"
          inputMode="decimal"
          value={learningRate}
          onChange={setLearningRate}
        />
        <TextField
          label="Epochs"
          testId="tunix-epochs"
          type="number"
          min={1}
          value={epochs}
          onChange={setEpochs}
        />
        <TextField
          label="Batch size"
          testId="tunix-batch-size"
          type="number"
          min={1}
          value={batchSize}
          onChange={setBatchSize}
        />
        <TextField
          label="Max seq length"
          testId="tunix-max-seq-length"
          type="number"
          min={8}
          value={maxSeqLength}
          onChange={setMaxSeqLength}
        />
        <TextField
          label="Max steps"
          testId="tunix-max-steps"
          type="number"
          min={1}
          placeholder="optional"
          value={maxSteps}
          onChange={setMaxSteps}
        />
        <TextField
          label="Seed"
          testId="tunix-seed"
          type="number"
          min={0}
          value={seed}
          onChange={setSeed}
        />
      </div>

      <div className="row wrap">
        <button
          type="button"
          data-testid="tunix-manifest"
          disabled={busy !== null}
          onClick={() => void onManifest()}
        >
          Preview manifest
        </button>
        <button
          type="button"
          className="primary"
          data-testid="tunix-dry-run"
          disabled={busy !== null}
          onClick={() => void onRun(true)}
        >
          Dry run
        </button>
        <button
          type="button"
          className="primary"
          data-testid="tunix-run-local"
          disabled={busy !== null || blocker !== null}
          title={blocker ?? undefined}
          onClick={() => void onRun(false)}
        >
          Run locally
        </button>
        {running && (
          <span className="muted" data-testid="tunix-running" role="status">
            Running…
          </span>
        )}
      </div>
      {blocker && (
        <p className="muted" data-testid="tunix-local-reason">
          Run locally is disabled: {blocker}
        </p>
      )}

      {error && (
        <ErrorMessage testId="tunix-error" message={error.message} fieldErrors={error.fieldErrors} />
      )}

      {manifest !== null && (
        <>
          <h3>Manifest</h3>
          <pre className="log" data-testid="tunix-manifest-yaml">
            {manifest}
          </pre>
        </>
      )}

      {result && (
        <div className="result" data-testid="tunix-result">
          <h3>
            Run result <StatusBadge status={result.status} testId="tunix-result-status" />
          </h3>
          <dl className="facts">
            <dt>Run id</dt>
            <dd>
              <code data-testid="tunix-result-run-id">{result.run_id}</code>
            </dd>
            <dt>Mode</dt>
            <dd>{result.mode}</dd>
            <dt>Exit code</dt>
            <dd data-testid="tunix-result-exit-code">{result.exit_code ?? '—'}</dd>
            <dt>Duration</dt>
            <dd data-testid="tunix-result-duration">{formatDuration(result.duration_seconds)}</dd>
            {result.output_dir && (
              <>
                <dt>Output dir</dt>
                <dd>
                  <code>{result.output_dir}</code>
                </dd>
              </>
            )}
            {result.message && (
              <>
                <dt>Message</dt>
                <dd data-testid="tunix-result-message">{result.message}</dd>
              </>
            )}
          </dl>
          <details open>
            <summary>stdout</summary>
            <pre className="log" data-testid="tunix-stdout">
              {result.stdout || '(empty)'}
            </pre>
          </details>
          <details open={Boolean(result.stderr)}>
            <summary>stderr</summary>
            <pre className="log" data-testid="tunix-stderr">
              {result.stderr || '(empty)'}
            </pre>
          </details>
        </div>
      )}
    </section>
  );
}
