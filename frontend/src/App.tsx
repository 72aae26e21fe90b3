import { useState } from 'react';
import { ComparePanel } from './features/compare/ComparePanel';
import { DatasetsPanel } from './features/datasets/DatasetsPanel';
import { HealthBadge } from './features/health/HealthBadge';
import { RunHistoryPanel } from './features/runs/RunHistoryPanel';
import { RunEventsProvider } from './features/runs/runEvents';
import { TracesPanel } from './features/traces/TracesPanel';
import { TunixPanel } from './features/tunix/TunixPanel';

interface Props {
  /** Run History poll interval; tests shorten it. */
  runPollMs?: number;
}

/** The whole workbench on one page. */
export function App({ runPollMs }: Props) {
  const [datasetKey, setDatasetKey] = useState('');
  return (
    <RunEventsProvider>
      <header className="app-header">
        <h1>tunix-rt</h1>
        <span className="muted">reasoning-trace workbench</span>
        <HealthBadge />
      </header>
      <main className="grid">
        <TracesPanel />
        <ComparePanel />
        <DatasetsPanel onUseDataset={setDatasetKey} />
        <TunixPanel datasetKey={datasetKey} onDatasetKeyChange={setDatasetKey} />
        <RunHistoryPanel pollMs={runPollMs} />
      </main>
    </RunEventsProvider>
  );
}
