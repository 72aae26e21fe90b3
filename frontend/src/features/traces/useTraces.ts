import { useCallback, useEffect, useState } from 'react';
import { client } from '../../api/client';
import { settle, type ApiResult } from '../../api/result';
import type {
  ScoreResult,
  TraceCreate,
  TraceCreated,
  TraceDetail,
  TracePage,
  TraceSummary,
} from '../../api/types';

export const RECENT_TRACES_LIMIT = 10;

export function uploadTrace(body: TraceCreate): Promise<ApiResult<TraceCreated>> {
  return settle(client.POST('/api/traces', { body }));
}

export function fetchTrace(id: string): Promise<ApiResult<TraceDetail>> {
  return settle(client.GET('/api/traces/{trace_id}', { params: { path: { trace_id: id } } }));
}

export function scoreTrace(id: string): Promise<ApiResult<ScoreResult>> {
  return settle(
    client.POST('/api/traces/{trace_id}/score', {
      params: { path: { trace_id: id } },
      body: { criteria: 'baseline' },
    }),
  );
}

export function listTraces(limit: number): Promise<ApiResult<TracePage>> {
  return settle(client.GET('/api/traces', { params: { query: { limit, offset: 0 } } }));
}

interface RecentState {
  items: TraceSummary[];
  error: string | null;
}

function nextRecent(prev: RecentState, result: ApiResult<TracePage>): RecentState {
  return result.ok
    ? { items: result.data.data, error: null }
    : { items: prev.items, error: result.message };
}

/** The most recent traces, with a reload function. */
export function useRecentTraces(limit: number = RECENT_TRACES_LIMIT) {
  const [state, setState] = useState<RecentState>({ items: [], error: null });

  const reload = useCallback(async () => {
    const result = await listTraces(limit);
    setState((prev) => nextRecent(prev, result));
  }, [limit]);

  useEffect(() => {
    let active = true;
    void listTraces(limit).then((result) => {
      if (active) setState((prev) => nextRecent(prev, result));
    });
    return () => {
      active = false;
    };
  }, [limit]);

  return { ...state, reload };
}
