import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { server } from '../../test/server';
import { DatasetsPanel } from './DatasetsPanel';

const BUILD_ID = '22222222-2222-4222-8222-222222222222';

function dataset(key: string, count: number) {
  const [name, version] = key.split('-');
  return {
    dataset_key: key,
    build_id: BUILD_ID,
    name,
    version,
    created_at: '2026-01-01T00:00:00Z',
    trace_count: count,
    selection_strategy: 'latest',
  };
}

function listHandler(items: () => ReturnType<typeof dataset>[]) {
  return http.get('/api/datasets', () =>
    HttpResponse.json({
      data: items(),
      pagination: { limit: 20, offset: 0, next_offset: null },
    }),
  );
}

describe('DatasetsPanel', () => {
  it('builds a dataset, then lists it with export links per format', async () => {
    const stored: ReturnType<typeof dataset>[] = [];
    let body: Record<string, unknown> | null = null;
    server.use(
      listHandler(() => stored),
      http.post('/api/datasets/build', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        stored.push(dataset('demo-v1', 3));
        return HttpResponse.json(
          { dataset_key: 'demo-v1', build_id: BUILD_ID, trace_count: 3 },
          { status: 201 },
        );
      }),
    );
    const onUse = vi.fn();
    const user = userEvent.setup();
    render(<DatasetsPanel onUseDataset={onUse} />);

    expect(await screen.findByTestId('dataset-list-empty')).toHaveTextContent('No datasets yet');
    await user.type(screen.getByTestId('dataset-name'), 'demo');
    await user.clear(screen.getByTestId('dataset-filters'));
    await user.type(screen.getByTestId('dataset-filters'), '{{"source": "example"}');
    await user.click(screen.getByTestId('dataset-build'));

    expect(await screen.findByTestId('dataset-build-result')).toHaveTextContent(
      'Built demo-v1 with 3 traces',
    );
    expect(body).toEqual({
      dataset_name: 'demo',
      dataset_version: 'v1',
      filters: { source: 'example' },
      limit: 100,
      selection_strategy: 'latest',
    });

    const row = await screen.findByTestId('dataset-row-demo-v1');
    expect(within(row).getByTestId('dataset-count-demo-v1')).toHaveTextContent('3');
    for (const format of ['trace', 'tunix_sft', 'training_example']) {
      expect(within(row).getByTestId(`dataset-export-demo-v1-${format}`)).toHaveAttribute(
        'href',
        `/api/datasets/demo-v1/export.jsonl?format=${format}`,
      );
    }
    await user.click(within(row).getByTestId('dataset-use-demo-v1'));
    expect(onUse).toHaveBeenCalledWith('demo-v1');
  });

  it('shows the seed only for random selection and sends it', async () => {
    let body: Record<string, unknown> | null = null;
    server.use(
      listHandler(() => []),
      http.post('/api/datasets/build', async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json(
          { dataset_key: 'rnd-v1', build_id: BUILD_ID, trace_count: 1 },
          { status: 201 },
        );
      }),
    );
    const user = userEvent.setup();
    render(<DatasetsPanel />);
    expect(screen.queryByTestId('dataset-seed')).not.toBeInTheDocument();
    await user.selectOptions(screen.getByTestId('dataset-strategy'), 'random');
    await user.clear(screen.getByTestId('dataset-seed'));
    await user.type(screen.getByTestId('dataset-seed'), '7');
    await user.type(screen.getByTestId('dataset-name'), 'rnd');
    await user.click(screen.getByTestId('dataset-build'));
    expect(await screen.findByTestId('dataset-build-result')).toHaveTextContent('1 trace');
    expect(body).toMatchObject({ selection_strategy: 'random', seed: 7 });
  });

  it('shows the 409 detail when the dataset exists', async () => {
    server.use(
      listHandler(() => [dataset('demo-v1', 3)]),
      http.post('/api/datasets/build', () =>
        HttpResponse.json({ detail: 'Dataset demo-v1 already exists' }, { status: 409 }),
      ),
    );
    const user = userEvent.setup();
    render(<DatasetsPanel />);
    await user.type(screen.getByTestId('dataset-name'), 'demo');
    await user.click(screen.getByTestId('dataset-build'));
    expect(await screen.findByTestId('dataset-build-error')).toHaveTextContent(
      'Dataset demo-v1 already exists',
    );
  });

  it('rejects filters that are not a JSON object', async () => {
    server.use(listHandler(() => []));
    const user = userEvent.setup();
    render(<DatasetsPanel />);
    await user.clear(screen.getByTestId('dataset-filters'));
    await user.type(screen.getByTestId('dataset-filters'), '[[1]');
    await user.click(screen.getByTestId('dataset-build'));
    expect(await screen.findByTestId('dataset-build-error')).toHaveTextContent('Invalid filters');
  });

  it('shows a message when the list cannot load', async () => {
    server.use(
      http.get('/api/datasets', () =>
        HttpResponse.json({ detail: 'Internal Server Error' }, { status: 500 }),
      ),
    );
    render(<DatasetsPanel />);
    expect(await screen.findByTestId('dataset-list-error')).toHaveTextContent(
      'Internal Server Error',
    );
  });
});
