import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import type { RunStatus, RunSummary } from '../../api/types';
import { runDetail, runSummary } from '../../test/fixtures';
import { server } from '../../test/server';
import { RunHistoryPanel } from './RunHistoryPanel';

const STATES: RunStatus[] = ['pending', 'running', 'completed', 'failed', 'timeout'];

function id(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function page(runs: RunSummary[], offset = 0, nextOffset: number | null = null) {
  return HttpResponse.json({
    data: runs,
    pagination: { limit: 20, offset, next_offset: nextOffset },
  });
}

describe('RunHistoryPanel', () => {
  it('lists runs with a distinct badge per state', async () => {
    const runs = STATES.map((status, n) => runSummary(id(n), status, { dataset_key: `ds-${status}` }));
    server.use(http.get('/api/tunix/runs', () => page(runs)));
    // a listed run is active, so the panel polls; keep the interval out of the way
    render(<RunHistoryPanel pollMs={60_000} />);

    for (const [n, status] of STATES.entries()) {
      const badge = await screen.findByTestId(`run-status-${id(n)}`);
      expect(badge).toHaveAttribute('data-status', status);
      expect(badge).toHaveClass(`badge-${status}`);
      const row = screen.getByTestId(`run-row-${id(n)}`);
      expect(row).toHaveTextContent(`ds-${status}`);
      expect(row).toHaveTextContent('tiny-gemma3');
      expect(row).toHaveTextContent('local');
    }
    const texts = STATES.map((_, n) => screen.getByTestId(`run-status-${id(n)}`).textContent);
    expect(new Set(texts).size).toBe(STATES.length);
    expect(screen.getByTestId(`run-row-${id(2)}`)).toHaveTextContent('5.25 s');
  });

  it('shows details with stdout and stderr in preformatted blocks', async () => {
    const summary = runSummary(id(1), 'completed');
    server.use(
      http.get('/api/tunix/runs', () => page([summary])),
      http.get('/api/tunix/runs/:runId', () =>
        HttpResponse.json(
          runDetail(summary, { stdout: 'step 1  loss 2.5\nstep 2  loss 2.1', stderr: 'warn:\n  cpu' }),
        ),
      ),
    );
    const user = userEvent.setup();
    render(<RunHistoryPanel />);
    await user.click(await screen.findByTestId(`run-row-${id(1)}`));

    const detail = await screen.findByTestId('run-detail');
    const stdout = within(detail).getByTestId('run-stdout');
    expect(stdout.tagName).toBe('PRE');
    expect(stdout.textContent).toBe('step 1  loss 2.5\nstep 2  loss 2.1');
    expect(within(detail).getByTestId('run-stderr').textContent).toBe('warn:\n  cpu');
    expect(within(detail).getByTestId('run-detail-message')).toHaveTextContent('Training finished');
    expect(within(detail).getByTestId('run-detail-exit-code')).toHaveTextContent('0');
    expect(within(detail).getByTestId('run-detail-output-dir')).toHaveTextContent(
      `data/runs/${id(1)}`,
    );
    expect(within(detail).getByTestId('run-detail-config')).toHaveTextContent('num_epochs');

    await user.click(within(detail).getByTestId('run-detail-close'));
    expect(screen.queryByTestId('run-detail')).not.toBeInTheDocument();
  });

  it('shows "No runs yet" for an empty registry', async () => {
    server.use(http.get('/api/tunix/runs', () => page([])));
    render(<RunHistoryPanel />);
    expect(await screen.findByTestId('runs-empty')).toHaveTextContent('No runs yet');
    expect(screen.getByTestId('runs-prev')).toBeDisabled();
    expect(screen.getByTestId('runs-next')).toBeDisabled();
  });

  it('shows a message when a run vanished (404 on details)', async () => {
    const summary = runSummary(id(9), 'failed');
    server.use(
      http.get('/api/tunix/runs', () => page([summary])),
      http.get('/api/tunix/runs/:runId', ({ params }) =>
        HttpResponse.json({ detail: `Run ${String(params.runId)} not found` }, { status: 404 }),
      ),
    );
    const user = userEvent.setup();
    render(<RunHistoryPanel />);
    await user.click(await screen.findByTestId(`run-row-${id(9)}`));
    const error = await screen.findByTestId('run-detail-error');
    expect(error).toHaveTextContent(`Run ${id(9)} no longer exists`);
    expect(error).toHaveTextContent(`Run ${id(9)} not found`);
  });

  it('shows a message for a server error', async () => {
    server.use(
      http.get('/api/tunix/runs', () =>
        HttpResponse.json({ detail: 'Internal Server Error' }, { status: 500 }),
      ),
    );
    render(<RunHistoryPanel />);
    expect(await screen.findByTestId('runs-error')).toHaveTextContent(
      'The server failed to load the run history (HTTP 500)',
    );
    expect(screen.getByTestId('run-history')).toHaveTextContent('Run History');
  });

  it('shows a message when the server is unreachable, and recovers on refresh', async () => {
    let fail = true;
    server.use(
      http.get('/api/tunix/runs', () =>
        fail ? HttpResponse.error() : page([runSummary(id(3), 'completed')]),
      ),
    );
    const user = userEvent.setup();
    render(<RunHistoryPanel />);
    expect(await screen.findByTestId('runs-error')).toHaveTextContent('Cannot reach the server');
    fail = false;
    await user.click(screen.getByTestId('run-refresh'));
    expect(await screen.findByTestId(`run-row-${id(3)}`)).toBeInTheDocument();
    expect(screen.queryByTestId('runs-error')).not.toBeInTheDocument();
  });

  it('shows a message when details fail with a server error', async () => {
    const summary = runSummary(id(4), 'completed');
    server.use(
      http.get('/api/tunix/runs', () => page([summary])),
      http.get('/api/tunix/runs/:runId', () => HttpResponse.error()),
    );
    const user = userEvent.setup();
    render(<RunHistoryPanel />);
    await user.click(await screen.findByTestId(`run-row-${id(4)}`));
    expect(await screen.findByTestId('run-detail-error')).toHaveTextContent(
      'Cannot reach the server to load this run',
    );
  });

  it('pages forward and back with next_offset', async () => {
    const offsets: string[] = [];
    const first = Array.from({ length: 20 }, (_, n) => runSummary(id(n), 'completed'));
    const second = [runSummary(id(20), 'failed')];
    server.use(
      http.get('/api/tunix/runs', ({ request }) => {
        const params = new URL(request.url).searchParams;
        offsets.push(params.get('offset') ?? '');
        expect(params.get('limit')).toBe('20');
        return params.get('offset') === '20' ? page(second, 20, null) : page(first, 0, 20);
      }),
    );
    const user = userEvent.setup();
    render(<RunHistoryPanel />);
    await screen.findByTestId(`run-row-${id(0)}`);
    expect(screen.getByTestId('runs-page')).toHaveTextContent('Runs 1–20');
    expect(screen.getByTestId('runs-prev')).toBeDisabled();

    await user.click(screen.getByTestId('runs-next'));
    expect(await screen.findByTestId(`run-row-${id(20)}`)).toBeInTheDocument();
    expect(screen.queryByTestId(`run-row-${id(0)}`)).not.toBeInTheDocument();
    expect(screen.getByTestId('runs-page')).toHaveTextContent('Runs 21–21');
    expect(screen.getByTestId('runs-next')).toBeDisabled();

    await user.click(screen.getByTestId('runs-prev'));
    expect(await screen.findByTestId(`run-row-${id(0)}`)).toBeInTheDocument();
    expect(offsets).toEqual(['0', '20', '0']);
  });

  it('polls while a run is running and stops once it has finished', async () => {
    let calls = 0;
    server.use(
      http.get('/api/tunix/runs', () => {
        calls += 1;
        return page([runSummary(id(5), calls < 3 ? 'running' : 'completed')]);
      }),
    );
    render(<RunHistoryPanel pollMs={30} />);
    await waitFor(() =>
      expect(screen.getByTestId(`run-status-${id(5)}`)).toHaveAttribute('data-status', 'completed'),
    );
    const settled = calls;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(calls).toBe(settled);
  });

  it('does not poll when nothing is running', async () => {
    let calls = 0;
    server.use(
      http.get('/api/tunix/runs', () => {
        calls += 1;
        return page([runSummary(id(6), 'completed')]);
      }),
    );
    render(<RunHistoryPanel pollMs={20} />);
    await screen.findByTestId(`run-row-${id(6)}`);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(calls).toBe(1);
  });

  it('reloads the open run when its status changes', async () => {
    let listCalls = 0;
    let detailCalls = 0;
    server.use(
      http.get('/api/tunix/runs', () => {
        listCalls += 1;
        return page([runSummary(id(7), listCalls < 2 ? 'running' : 'completed')]);
      }),
      http.get('/api/tunix/runs/:runId', () => {
        detailCalls += 1;
        const status: RunStatus = detailCalls < 2 ? 'running' : 'completed';
        return HttpResponse.json(
          runDetail(runSummary(id(7), status), {
            stdout: status === 'running' ? 'step 1' : 'step 1\nstep 2\ndone',
          }),
        );
      }),
    );
    const user = userEvent.setup();
    render(<RunHistoryPanel pollMs={200} />);
    await user.click(await screen.findByTestId(`run-row-${id(7)}`));
    expect(await screen.findByTestId('run-stdout')).toHaveTextContent('step 1');
    await waitFor(() => expect(screen.getByTestId('run-stdout')).toHaveTextContent('done'), {
      timeout: 2000,
    });
    expect(screen.getByTestId('run-detail-status')).toHaveAttribute('data-status', 'completed');
  });
});
