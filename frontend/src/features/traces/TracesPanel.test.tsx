import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { server } from '../../test/server';
import { EXAMPLE_TRACE } from './exampleTrace';
import { TracesPanel } from './TracesPanel';

const TRACE_ID = '11111111-1111-4111-8111-111111111111';
const CREATED_AT = '2026-01-02T03:04:05Z';

function recentHandler(ids: string[] = []) {
  return http.get('/api/traces', () =>
    HttpResponse.json({
      data: ids.map((id) => ({ id, created_at: CREATED_AT, trace_version: '1.0' })),
      pagination: { limit: 10, offset: 0, next_offset: null },
    }),
  );
}

describe('TracesPanel', () => {
  it('loads the example and uploads it, showing the new id', async () => {
    let received: unknown = null;
    server.use(
      recentHandler(),
      http.post('/api/traces', async ({ request }) => {
        received = await request.json();
        return HttpResponse.json(
          { id: TRACE_ID, created_at: CREATED_AT, trace_version: '1.0' },
          { status: 201 },
        );
      }),
    );
    const user = userEvent.setup();
    render(<TracesPanel />);

    await user.click(screen.getByTestId('trace-load-example'));
    expect((screen.getByTestId('trace-editor') as HTMLTextAreaElement).value).toContain(
      EXAMPLE_TRACE.prompt,
    );
    await user.click(screen.getByTestId('trace-upload'));

    expect(await screen.findByTestId('trace-upload-result')).toHaveTextContent(TRACE_ID);
    expect(received).toEqual(EXAMPLE_TRACE);
    expect(screen.getByTestId('trace-id-input')).toHaveValue(TRACE_ID);
  });

  it('shows 422 field locations readably', async () => {
    server.use(
      recentHandler(),
      http.post('/api/traces', () =>
        HttpResponse.json(
          {
            detail: [
              {
                loc: ['body', 'steps', 0, 'content'],
                msg: 'String should have at least 1 character',
                type: 'string_too_short',
              },
            ],
          },
          { status: 422 },
        ),
      ),
    );
    const user = userEvent.setup();
    render(<TracesPanel />);
    await user.click(screen.getByTestId('trace-load-example'));
    await user.click(screen.getByTestId('trace-upload'));

    const error = await screen.findByTestId('trace-upload-error');
    expect(error).toHaveTextContent('steps.0.content');
    expect(error).toHaveTextContent('String should have at least 1 character');
  });

  it('reports invalid JSON without calling the server', async () => {
    server.use(recentHandler());
    const user = userEvent.setup();
    render(<TracesPanel />);
    await user.type(screen.getByTestId('trace-editor'), 'not json');
    await user.click(screen.getByTestId('trace-upload'));
    expect(await screen.findByTestId('trace-upload-error')).toHaveTextContent('Invalid JSON');
  });

  it('fetches a trace by id and scores it', async () => {
    server.use(
      recentHandler(),
      http.get('/api/traces/:id', ({ params }) =>
        HttpResponse.json({
          id: params.id,
          created_at: CREATED_AT,
          trace_version: '1.0',
          payload: EXAMPLE_TRACE,
        }),
      ),
      http.post('/api/traces/:id/score', () =>
        HttpResponse.json(
          { trace_id: TRACE_ID, score: 42.5, details: { step_part: 15, length_part: 27.5 } },
          { status: 201 },
        ),
      ),
    );
    const user = userEvent.setup();
    render(<TracesPanel />);
    await user.type(screen.getByTestId('trace-id-input'), TRACE_ID);
    await user.click(screen.getByTestId('trace-fetch'));

    const result = await screen.findByTestId('trace-result');
    expect(within(result).getByTestId('trace-result-id')).toHaveTextContent(TRACE_ID);
    expect(within(result).getByTestId('trace-payload')).toHaveTextContent('80 km/h');

    await user.click(screen.getByTestId('trace-score'));
    expect(await screen.findByTestId('trace-score-result')).toHaveTextContent('42.50');
    expect(screen.getByTestId('trace-score-details')).toHaveTextContent('length_part');
  });

  it('shows the 404 detail for an unknown id', async () => {
    server.use(
      recentHandler(),
      http.get('/api/traces/:id', ({ params }) =>
        HttpResponse.json({ detail: `Trace ${String(params.id)} not found` }, { status: 404 }),
      ),
    );
    const user = userEvent.setup();
    render(<TracesPanel />);
    await user.type(screen.getByTestId('trace-id-input'), TRACE_ID);
    await user.click(screen.getByTestId('trace-fetch'));
    expect(await screen.findByTestId('trace-fetch-error')).toHaveTextContent(
      `Trace ${TRACE_ID} not found`,
    );
    expect(screen.queryByTestId('trace-result')).not.toBeInTheDocument();
  });

  it('lists recent traces and fetches one on click', async () => {
    server.use(
      recentHandler([TRACE_ID]),
      http.get('/api/traces/:id', ({ params }) =>
        HttpResponse.json({
          id: params.id,
          created_at: CREATED_AT,
          trace_version: '1.0',
          payload: EXAMPLE_TRACE,
        }),
      ),
    );
    const user = userEvent.setup();
    render(<TracesPanel />);
    await user.click(await screen.findByTestId(`recent-trace-${TRACE_ID}`));
    await waitFor(() =>
      expect(screen.getByTestId('trace-result-id')).toHaveTextContent(TRACE_ID),
    );
  });

  it('shows an error when the recent list cannot load', async () => {
    server.use(http.get('/api/traces', () => HttpResponse.error()));
    render(<TracesPanel />);
    expect(await screen.findByTestId('recent-traces-error')).toHaveTextContent(
      'Server unreachable',
    );
  });
});
