import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, http, HttpResponse } from 'msw';
import { server } from '../../test/server';
import { runResponse } from '../../test/fixtures';
import { TunixPanel } from './TunixPanel';

function statusHandler(available: boolean, message: string, version: string | null = null) {
  return http.get('/api/tunix/status', () =>
    HttpResponse.json({ available, version, runtime_required: false, message }),
  );
}

describe('TunixPanel', () => {
  it('disables "Run locally" with the reason when Tunix is unavailable', async () => {
    server.use(statusHandler(false, 'Tunix is not installed: pip install tunix-rt[tunix]'));
    render(<TunixPanel />);
    // The status element is there from the first render ("Checking Tunix…"), so wait for its text.
    await waitFor(() =>
      expect(screen.getByTestId('tunix-status')).toHaveTextContent(
        'Tunix not available: Tunix is not installed',
      ),
    );
    const local = screen.getByTestId('tunix-run-local');
    expect(local).toBeDisabled();
    expect(screen.getByTestId('tunix-local-reason')).toHaveTextContent(
      'pip install tunix-rt[tunix]',
    );
    expect(screen.getByTestId('tunix-dry-run')).toBeEnabled();
    expect(screen.getByTestId('tunix-model-id')).toHaveValue('tiny-gemma3');
  });

  it('enables "Run locally" and shows the version when Tunix is available', async () => {
    server.use(statusHandler(true, 'ok', '0.1.5'));
    render(<TunixPanel />);
    expect(await screen.findByText(/Tunix available \(version 0\.1\.5\)/)).toBeInTheDocument();
    expect(screen.getByTestId('tunix-run-local')).toBeEnabled();
    expect(screen.queryByTestId('tunix-local-reason')).not.toBeInTheDocument();
  });

  it('keeps "Run locally" disabled when the status cannot be loaded', async () => {
    server.use(http.get('/api/tunix/status', () => HttpResponse.error()));
    render(<TunixPanel />);
    // The reason is shown while the status loads too; wait for the failure to replace it.
    await waitFor(() =>
      expect(screen.getByTestId('tunix-local-reason')).toHaveTextContent('Tunix status unknown'),
    );
    expect(screen.getByTestId('tunix-run-local')).toBeDisabled();
  });

  it('dry-runs, showing Running… while in flight, then status, exit code and stdout', async () => {
    let body: Record<string, unknown> | null = null;
    server.use(
      statusHandler(false, 'not installed'),
      http.post('/api/tunix/run', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        await delay(50);
        return HttpResponse.json(runResponse(), { status: 202 });
      }),
    );
    const user = userEvent.setup();
    render(<TunixPanel />);
    await user.type(screen.getByTestId('tunix-dataset-key'), 'demo-v1');
    await user.type(screen.getByTestId('tunix-max-steps'), '5');
    await user.click(screen.getByTestId('tunix-dry-run'));

    expect(screen.getByTestId('tunix-running')).toHaveTextContent('Running…');
    expect(screen.getByTestId('tunix-dry-run')).toBeDisabled();
    expect(screen.getByTestId('tunix-manifest')).toBeDisabled();

    const result = await screen.findByTestId('tunix-result');
    expect(within(result).getByTestId('tunix-result-status')).toHaveTextContent('Completed');
    expect(within(result).getByTestId('tunix-result-exit-code')).toHaveTextContent('0');
    expect(within(result).getByTestId('tunix-result-duration')).toHaveTextContent('0.42 s');
    expect(within(result).getByTestId('tunix-stdout').textContent).toBe(
      'dataset ok\nmanifest ok\nmodel id ok',
    );
    expect(screen.queryByTestId('tunix-running')).not.toBeInTheDocument();
    expect(body).toEqual({
      dataset_key: 'demo-v1',
      model_id: 'tiny-gemma3',
      dry_run: true,
      output_dir: null,
      learning_rate: 2e-5,
      num_epochs: 3,
      batch_size: 8,
      max_seq_length: 2048,
      max_steps: 5,
      seed: 0,
    });
  });

  it('shows a failed run with its stderr', async () => {
    server.use(
      statusHandler(true, 'ok', '0.1.5'),
      http.post('/api/tunix/run', () =>
        HttpResponse.json(
          runResponse({
            status: 'failed',
            mode: 'local',
            exit_code: 1,
            stdout: '',
            stderr: 'Traceback: boom',
          }),
          { status: 202 },
        ),
      ),
    );
    const user = userEvent.setup();
    render(<TunixPanel datasetKey="demo-v1" onDatasetKeyChange={() => undefined} />);
    await screen.findByText(/Tunix available/);
    await user.click(screen.getByTestId('tunix-run-local'));
    expect(await screen.findByTestId('tunix-result-status')).toHaveTextContent('Failed');
    expect(screen.getByTestId('tunix-stderr')).toHaveTextContent('Traceback: boom');
    expect(screen.getByTestId('tunix-stdout')).toHaveTextContent('(empty)');
  });

  it('shows the 501 detail for a local run without Tunix', async () => {
    server.use(
      statusHandler(true, 'ok', '0.1.5'),
      http.post('/api/tunix/run', () =>
        HttpResponse.json({ detail: 'Tunix is not installed' }, { status: 501 }),
      ),
    );
    const user = userEvent.setup();
    render(<TunixPanel />);
    await screen.findByText(/Tunix available/);
    await user.click(screen.getByTestId('tunix-run-local'));
    expect(await screen.findByTestId('tunix-error')).toHaveTextContent('Tunix is not installed');
  });

  it('previews the manifest YAML', async () => {
    let body: Record<string, unknown> | null = null;
    const yaml = 'dataset_key: demo-v1\nmodel_id: tiny-gemma3\nlearning_rate: 0.001\n';
    server.use(
      statusHandler(false, 'not installed'),
      http.post('/api/tunix/sft/manifest', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json(
          {
            manifest_yaml: yaml,
            dataset_key: 'demo-v1',
            model_id: 'tiny-gemma3',
            format: 'tunix_sft',
            message: 'ok',
          },
          { status: 201 },
        );
      }),
    );
    const user = userEvent.setup();
    render(<TunixPanel />);
    await user.type(screen.getByTestId('tunix-dataset-key'), 'demo-v1');
    await user.clear(screen.getByTestId('tunix-learning-rate'));
    await user.type(screen.getByTestId('tunix-learning-rate'), '0.001');
    await user.click(screen.getByTestId('tunix-manifest'));
    expect((await screen.findByTestId('tunix-manifest-yaml')).textContent).toBe(yaml);
    expect(body).toMatchObject({
      dataset_key: 'demo-v1',
      model_id: 'tiny-gemma3',
      output_dir: null,
      learning_rate: 0.001,
      seed: 0,
    });
    expect(body).not.toHaveProperty('max_steps');
  });

  it('shows 422 field errors from the manifest endpoint', async () => {
    server.use(
      statusHandler(false, 'not installed'),
      http.post('/api/tunix/sft/manifest', () =>
        HttpResponse.json(
          {
            detail: [
              {
                loc: ['body', 'batch_size'],
                msg: 'Input should be greater than or equal to 1',
                type: 'greater_than_equal',
              },
            ],
          },
          { status: 422 },
        ),
      ),
    );
    const user = userEvent.setup();
    render(<TunixPanel />);
    await user.click(screen.getByTestId('tunix-manifest'));
    const error = await screen.findByTestId('tunix-error');
    expect(error).toHaveTextContent('batch_size');
    expect(error).toHaveTextContent('greater than or equal to 1');
  });
});
