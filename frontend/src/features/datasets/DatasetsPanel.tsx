import { useState } from 'react';
import type { DatasetBuildRequest, DatasetBuilt } from '../../api/types';
import type { FieldError } from '../../api/result';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatTime } from '../../components/format';
import { TextField } from '../../components/TextField';
import { buildDataset, EXPORT_FORMATS, exportUrl, useDatasetList } from './useDatasets';

interface Props {
  /** Called with a dataset key when the user picks it for training. */
  onUseDataset?: (datasetKey: string) => void;
}

interface Failure {
  message: string;
  fieldErrors: FieldError[];
}

/** Build versioned datasets from stored traces, list them, and link their exports. */
export function DatasetsPanel({ onUseDataset }: Props) {
  const list = useDatasetList();
  const [name, setName] = useState('');
  const [version, setVersion] = useState('v1');
  const [filtersText, setFiltersText] = useState('{}');
  const [limit, setLimit] = useState('100');
  const [strategy, setStrategy] = useState<'latest' | 'random'>('latest');
  const [seed, setSeed] = useState('42');
  const [building, setBuilding] = useState(false);
  const [built, setBuilt] = useState<DatasetBuilt | null>(null);
  const [error, setError] = useState<Failure | null>(null);

  const onBuild = async () => {
    setBuilt(null);
    setError(null);
    let filters: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(filtersText.trim() || '{}');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('filters must be a JSON object');
      }
      filters = parsed as Record<string, unknown>;
    } catch (err) {
      setError({
        message: `Invalid filters: ${err instanceof Error ? err.message : String(err)}`,
        fieldErrors: [],
      });
      return;
    }
    const body: DatasetBuildRequest = {
      dataset_name: name.trim(),
      dataset_version: version.trim(),
      filters,
      limit: Number(limit),
      selection_strategy: strategy,
    };
    if (strategy === 'random') body.seed = seed.trim() === '' ? null : Number(seed);

    setBuilding(true);
    const result = await buildDataset(body);
    setBuilding(false);
    if (result.ok) {
      setBuilt(result.data);
      void list.reload();
    } else {
      setError({ message: result.message, fieldErrors: result.fieldErrors });
    }
  };

  return (
    <section className="panel" data-testid="datasets-panel" aria-labelledby="datasets-title">
      <h2 id="datasets-title">Datasets</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void onBuild();
        }}
      >
        <div className="form-grid">
          <TextField
            label="Name"
            testId="dataset-name"
            placeholder="my-dataset"
            value={name}
            onChange={setName}
          />
          <TextField
            label="Version"
            testId="dataset-version"
            value={version}
            onChange={setVersion}
          />
          <TextField
            label="Limit"
            testId="dataset-limit"
            type="number"
            min={1}
            value={limit}
            onChange={setLimit}
          />
          <label>
            Selection
            <select
              data-testid="dataset-strategy"
              value={strategy}
              onChange={(e) => setStrategy(e.target.value as 'latest' | 'random')}
            >
              <option value="latest">latest</option>
              <option value="random">random</option>
            </select>
          </label>
          {strategy === 'random' && (
            <TextField
              label="Seed"
              testId="dataset-seed"
              type="number"
              value={seed}
              onChange={setSeed}
            />
          )}
        </div>
        <div className="field">
          <label htmlFor="dataset-filters">Filters (JSON object matched against trace meta)</label>
          <textarea
            id="dataset-filters"
            data-testid="dataset-filters"
            rows={2}
            spellCheck={false}
            value={filtersText}
            onChange={(e) => setFiltersText(e.target.value)}
          />
        </div>
        <button type="submit" className="primary" data-testid="dataset-build" disabled={building}>
          {building ? 'Building…' : 'Build dataset'}
        </button>
      </form>
      {built && (
        <p className="success" data-testid="dataset-build-result">
          Built <code>{built.dataset_key}</code> with {built.trace_count} trace
          {built.trace_count === 1 ? '' : 's'}
        </p>
      )}
      {error && (
        <ErrorMessage
          testId="dataset-build-error"
          message={error.message}
          fieldErrors={error.fieldErrors}
        />
      )}

      <div className="row">
        <h3>Datasets</h3>
        <button type="button" data-testid="dataset-refresh" onClick={() => void list.reload()}>
          Refresh
        </button>
      </div>
      {list.error && <ErrorMessage testId="dataset-list-error" message={list.error} />}
      <div data-testid="dataset-list">
        {list.loaded && list.items.length === 0 ? (
          <p className="muted" data-testid="dataset-list-empty">
            No datasets yet
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Key</th>
                <th>Traces</th>
                <th>Strategy</th>
                <th>Created</th>
                <th>Export</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((ds) => (
                <tr key={ds.dataset_key} data-testid={`dataset-row-${ds.dataset_key}`}>
                  <td>
                    <code>{ds.dataset_key}</code>
                    {onUseDataset && (
                      <>
                        {' '}
                        <button
                          type="button"
                          className="link"
                          data-testid={`dataset-use-${ds.dataset_key}`}
                          onClick={() => onUseDataset(ds.dataset_key)}
                        >
                          use
                        </button>
                      </>
                    )}
                  </td>
                  <td data-testid={`dataset-count-${ds.dataset_key}`}>{ds.trace_count}</td>
                  <td>{ds.selection_strategy}</td>
                  <td>{formatTime(ds.created_at)}</td>
                  <td className="export-links">
                    {EXPORT_FORMATS.map((format) => (
                      <a
                        key={format}
                        href={exportUrl(ds.dataset_key, format)}
                        data-testid={`dataset-export-${ds.dataset_key}-${format}`}
                        download
                      >
                        {format}
                      </a>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
