import { ComparePanel } from './features/compare/ComparePanel';
import { HealthBadge } from './features/health/HealthBadge';
import { RunEventsProvider } from './features/runs/runEvents';
import { TracesPanel } from './features/traces/TracesPanel';

/** The whole workbench on one page. */
export function App() {
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
      </main>
    </RunEventsProvider>
  );
}
