import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { server } from '../../test/server';
import { ComparePanel } from './ComparePanel';

const BASE = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const OTHER = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

function compared(id: string, prompt: string, answer: string, score: number) {
  return {
    id,
    created_at: '2026-01-01T00:00:00Z',
    trace_version: '1.0',
    score,
    payload: {
      trace_version: '1.0',
      prompt,
      final_answer: answer,
      steps: [
        { i: 0, type: 'think', content: `${prompt} step one` },
        { i: 1, type: 'check', content: `${prompt} step two` },
      ],
    },
  };
}

async function submit(base: string, other: string) {
  const user = userEvent.setup();
  await user.type(screen.getByTestId('compare-base'), base);
  await user.type(screen.getByTestId('compare-other'), other);
  await user.click(screen.getByTestId('compare-submit'));
}

describe('ComparePanel', () => {
  it('shows both traces side by side with scores', async () => {
    let query: URLSearchParams | null = null;
    server.use(
      http.get('/api/traces/compare', ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json({
          base: compared(BASE, 'Base prompt', 'Base answer', 30),
          other: compared(OTHER, 'Other prompt', 'Other answer', 75.5),
        });
      }),
    );
    render(<ComparePanel />);
    await submit(BASE, OTHER);

    const result = await screen.findByTestId('compare-result');
    const base = within(result).getByTestId('compare-base-column');
    const other = within(result).getByTestId('compare-other-column');
    expect(within(base).getByTestId('compare-base-prompt')).toHaveTextContent('Base prompt');
    expect(within(base).getByTestId('compare-base-answer')).toHaveTextContent('Base answer');
    expect(within(base).getByTestId('compare-base-score')).toHaveTextContent('30.00');
    expect(within(base).getByTestId('compare-base-steps').querySelectorAll('li')).toHaveLength(2);
    expect(within(other).getByTestId('compare-other-prompt')).toHaveTextContent('Other prompt');
    expect(within(other).getByTestId('compare-other-score')).toHaveTextContent('75.50');
    expect(query!.get('base')).toBe(BASE);
    expect(query!.get('other')).toBe(OTHER);
  });

  it('names the missing trace on 404', async () => {
    server.use(
      http.get('/api/traces/compare', () =>
        HttpResponse.json({ detail: `Trace ${OTHER} not found` }, { status: 404 }),
      ),
    );
    render(<ComparePanel />);
    await submit(BASE, OTHER);
    expect(await screen.findByTestId('compare-error')).toHaveTextContent(
      `Trace ${OTHER} not found`,
    );
    expect(screen.queryByTestId('compare-result')).not.toBeInTheDocument();
  });

  it('asks for both ids before calling the server', async () => {
    render(<ComparePanel />);
    const user = userEvent.setup();
    await user.click(screen.getByTestId('compare-submit'));
    expect(screen.getByTestId('compare-error')).toHaveTextContent('Enter both trace ids');
  });
});
