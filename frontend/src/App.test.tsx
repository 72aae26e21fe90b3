import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { App } from './App';
import type { RunSummary } from './api/types';
import { runResponse, runSummary } from './test/fixtures';
import { server } from './test/server';

const OLD_RUN = '44444444-4444-4444-8444-444444444444';
const NEW_RUN = '55555555-5555-4555-8555-555555555555';

function emptyPage() {
  return { data: [], pagination: { limit: 20, offset: 0, next_offset: null } };
}

function baseHandlers(registry: RunSummary[]) {
  return [
    http.get('/api/health', () => HttpResponse.json({ status: 'healthy', database: 'ok' })),
    http.get('/api/traces', () => HttpResponse.json(emptyPage())),
    http.get('/api/tunix/status', () =>
      HttpResponse.json({
        available: false,
        version: null,
        runtime_required: false,
        message: 'Tunix is not installed',
      }),
    ),
    http.get('/api/datasets', () =>
      HttpResponse.json({
        data: [
          {
            dataset_key: 'demo-v1',
            build_id: '66666666-6666-4666-8666-666666666666',
            name: 'demo',
            version: 'v1',
            created_at: '2026-01-01T00:00:00Z',
            trace_count: 2,
            selection_strategy: 'latest',
          },
        ],
        pagination: { limit: 20, offset: 0, next_offset: null },
      }),
    ),
    http.get('/api/tunix/runs', () =>
      HttpResponse.json({
        data: [...registry],
        pagination: { limit: 20, offset: 0, next_offset: null },
      }),
    ),
  ];
}

describe('App', () => {
  it('renders every panel', async () => {
    server.use(...baseHandlers([]));
    render(<App />);
    expect(await screen.findByText('Healthy')).toBeInTheDocument();
    for (const panel of ['traces-panel', 'compare-panel', 'datasets-panel', 'tunix-panel', 'run-history']) {
      expect(screen.getByTestId(panel)).toBeInTheDocument();
    }
    expect(await screen.findByTestId('runs-empty')).toHaveTextContent('No runs yet');
  });

  it('picks a dataset for Tunix from the Datasets list', async () => {
    server.use(...baseHandlers([]));
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId('dataset-use-demo-v1'));
    expect(screen.getByTestId('tunix-dataset-key')).toHaveValue('demo-v1');
  });

  it('shows a run started from the Tunix panel at the top of Run History without a reload', async () => {
    // The registry holds an older run; the new one is recorded as `running` as soon as the
    // POST arrives and completes only when the test lets it.
    const registry: RunSummary[] = [
      runSummary(OLD_RUN, 'completed', { started_at: '2026-01-01T09:00:00Z' }),
    ];
    let finish: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      finish = resolve;
    });
    server.use(
      ...baseHandlers(registry),
      http.post('/api/tunix/run', async () => {
        registry.unshift(
          runSummary(NEW_RUN, 'running', { mode: 'dry_run', started_at: '2026-01-01T10:00:00Z' }),
        );
        await released;
        registry[0] = runSummary(NEW_RUN, 'completed', {
          mode: 'dry_run',
          started_at: '2026-01-01T10:00:00Z',
        });
        return HttpResponse.json(runResponse({ run_id: NEW_RUN }), { status: 202 });
      }),
    );
    const user = userEvent.setup();
    render(<App runPollMs={40} />);
    await screen.findByTestId(`run-row-${OLD_RUN}`);

    await user.type(screen.getByTestId('tunix-dataset-key'), 'demo-v1');
    await user.click(screen.getByTestId('tunix-dry-run'));
    expect(screen.getByTestId('tunix-running')).toBeInTheDocument();

    // While the POST is still waiting, the new run shows up as running, first in the list.
    const badge = await screen.findByTestId(`run-status-${NEW_RUN}`);
    expect(badge).toHaveAttribute('data-status', 'running');
    let rows = within(screen.getByTestId('runs-table')).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveAttribute('data-testid', `run-row-${NEW_RUN}`);
    expect(rows[1]).toHaveAttribute('data-testid', `run-row-${OLD_RUN}`);

    finish();
    expect(await screen.findByTestId('tunix-result')).toHaveTextContent(NEW_RUN);
    await waitFor(() =>
      expect(screen.getByTestId(`run-status-${NEW_RUN}`)).toHaveAttribute(
        'data-status',
        'completed',
      ),
    );
    rows = within(screen.getByTestId('runs-table')).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveAttribute('data-testid', `run-row-${NEW_RUN}`);
  });
});
