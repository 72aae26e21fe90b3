import { render, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { server } from '../../test/server';
import { HealthBadge } from './HealthBadge';

describe('HealthBadge', () => {
  it('shows healthy', async () => {
    server.use(http.get('/api/health', () => HttpResponse.json({ status: 'healthy', database: 'ok' })));
    render(<HealthBadge />);
    expect(await screen.findByText('Healthy')).toBeInTheDocument();
    expect(screen.getByTestId('health-status')).toHaveAttribute('data-state', 'healthy');
  });

  it('shows unhealthy with the reason', async () => {
    server.use(
      http.get('/api/health', () =>
        HttpResponse.json({ status: 'unhealthy', database: 'connection refused' }, { status: 503 }),
      ),
    );
    render(<HealthBadge />);
    expect(await screen.findByText('Unhealthy: connection refused')).toBeInTheDocument();
  });

  it('shows unreachable when the request fails', async () => {
    server.use(http.get('/api/health', () => HttpResponse.error()));
    render(<HealthBadge />);
    await waitFor(() =>
      expect(screen.getByTestId('health-status')).toHaveAttribute('data-state', 'unreachable'),
    );
    expect(screen.getByTestId('health-status')).toHaveTextContent('Server unreachable');
  });

  it('polls again after the interval', async () => {
    let calls = 0;
    server.use(
      http.get('/api/health', () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json({ status: 'healthy', database: 'ok' })
          : HttpResponse.json({ status: 'unhealthy', database: 'gone' }, { status: 503 });
      }),
    );
    render(<HealthBadge intervalMs={50} />);
    expect(await screen.findByText('Healthy')).toBeInTheDocument();
    expect(await screen.findByText('Unhealthy: gone')).toBeInTheDocument();
  });
});
