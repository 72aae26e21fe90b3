import { useEffect, useState } from 'react';
import { client } from '../../api/client';

export type HealthState =
  | { kind: 'checking' }
  | { kind: 'healthy' }
  | { kind: 'unhealthy'; reason: string }
  | { kind: 'unreachable'; reason: string };

export const HEALTH_POLL_MS = 30_000;

export async function checkHealth(): Promise<HealthState> {
  try {
    const { data, error, response } = await client.GET('/api/health');
    if (data && data.status === 'healthy') return { kind: 'healthy' };
    const body = (data ?? error) as { database?: unknown; detail?: unknown } | undefined;
    const reason =
      typeof body?.database === 'string'
        ? body.database
        : typeof body?.detail === 'string'
          ? body.detail
          : `HTTP ${response.status}`;
    return { kind: 'unhealthy', reason };
  } catch (err) {
    return { kind: 'unreachable', reason: err instanceof Error ? err.message : String(err) };
  }
}

/** Polls /api/health now and every `intervalMs`. */
export function useHealth(intervalMs: number = HEALTH_POLL_MS): HealthState {
  const [state, setState] = useState<HealthState>({ kind: 'checking' });

  useEffect(() => {
    let cancelled = false;
    const tick = async () => {
      const next = await checkHealth();
      if (!cancelled) setState(next);
    };
    void tick();
    const timer = setInterval(() => void tick(), intervalMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [intervalMs]);

  return state;
}
