import { useCallback, useEffect, useRef, useState } from 'react';
import { client } from '../../api/client';
import { NETWORK_ERROR_STATUS, settle, type ApiResult } from '../../api/result';
import type { Pagination, RunDetail, RunPage, RunSummary } from '../../api/types';
import { useRunEvents } from './runEvents';

export const RUNS_PAGE_SIZE = 20;
export const RUN_POLL_MS = 3_000;

export function listRuns(offset: number, limit: number = RUNS_PAGE_SIZE): Promise<ApiResult<RunPage>> {
  return settle(client.GET('/api/tunix/runs', { params: { query: { limit, offset } } }));
}

export function getRun(runId: string): Promise<ApiResult<RunDetail>> {
  return settle(client.GET('/api/tunix/runs/{run_id}', { params: { path: { run_id: runId } } }));
}

/** A run that has not reached a final state yet. */
export function isActive(status: string): boolean {
  return status === 'running' || status === 'pending';
}

function describeFailure(result: { status: number; message: string }, what: string): string {
  if (result.status === NETWORK_ERROR_STATUS) return `Cannot reach the server to load ${what}.`;
  if (result.status >= 500) return `The server failed to load ${what} (HTTP ${result.status}): ${result.message}`;
  return result.message;
}

export interface ListState {
  runs: RunSummary[];
  pagination: Pagination | null;
  loaded: boolean;
  error: string | null;
}

export type DetailState =
  | { kind: 'none' }
  | { kind: 'loading'; runId: string }
  | { kind: 'ready'; run: RunDetail }
  | { kind: 'missing'; runId: string; message: string }
  | { kind: 'error'; runId: string; message: string };

function nextList(prev: ListState, result: ApiResult<RunPage>): ListState {
  if (result.ok) {
    return { runs: result.data.data, pagination: result.data.pagination, loaded: true, error: null };
  }
  return { ...prev, error: describeFailure(result, 'the run history') };
}

function detailFrom(runId: string, result: ApiResult<RunDetail>): DetailState {
  if (result.ok) return { kind: 'ready', run: result.data };
  if (result.status === 404) {
    return { kind: 'missing', runId, message: `Run ${runId} no longer exists (${result.message}).` };
  }
  return { kind: 'error', runId, message: describeFailure(result, 'this run') };
}

/**
 * The run registry, a page at a time, newest first. Reloads when the Tunix panel starts or
 * finishes a run, and polls while a listed run is still active or a run request is in flight.
 */
export function useRunHistory(pollMs: number = RUN_POLL_MS) {
  const { version, inFlight } = useRunEvents();
  const [offset, setOffset] = useState(0);
  const [list, setList] = useState<ListState>({
    runs: [],
    pagination: null,
    loaded: false,
    error: null,
  });
  const [detail, setDetail] = useState<DetailState>({ kind: 'none' });
  const listSeq = useRef(0);
  const detailSeq = useRef(0);

  const fetchPage = useCallback((pageOffset: number) => {
    const seq = ++listSeq.current;
    return listRuns(pageOffset).then((result) => {
      if (seq === listSeq.current) setList((prev) => nextList(prev, result));
    });
  }, []);

  const fetchDetail = useCallback((runId: string) => {
    const seq = ++detailSeq.current;
    return getRun(runId).then((result) => {
      if (seq === detailSeq.current) setDetail(detailFrom(runId, result));
    });
  }, []);

  // Load the current page, again whenever the Tunix panel reports a run event.
  useEffect(() => {
    void fetchPage(offset);
  }, [fetchPage, offset, version]);

  const shouldPoll = inFlight > 0 || list.runs.some((run) => isActive(run.status));
  useEffect(() => {
    if (!shouldPoll) return;
    const timer = setInterval(() => void fetchPage(offset), pollMs);
    return () => clearInterval(timer);
  }, [shouldPoll, fetchPage, offset, pollMs]);

  // When the list shows the open run in a new state, reload its details (logs, exit code).
  const openId = detail.kind === 'ready' ? detail.run.run_id : null;
  const openStatus = detail.kind === 'ready' ? detail.run.status : null;
  const listedStatus = list.runs.find((run) => run.run_id === openId)?.status ?? null;
  useEffect(() => {
    if (openId === null || listedStatus === null || listedStatus === openStatus) return;
    void fetchDetail(openId);
  }, [openId, openStatus, listedStatus, fetchDetail]);

  const refresh = useCallback(() => fetchPage(offset), [fetchPage, offset]);

  const openRun = useCallback(
    (runId: string) => {
      setDetail({ kind: 'loading', runId });
      return fetchDetail(runId);
    },
    [fetchDetail],
  );

  const closeRun = useCallback(() => {
    detailSeq.current += 1;
    setDetail({ kind: 'none' });
  }, []);

  const limit = list.pagination?.limit ?? RUNS_PAGE_SIZE;
  const nextOffset = list.pagination?.next_offset ?? null;

  return {
    offset,
    list,
    detail,
    refresh,
    openRun,
    closeRun,
    hasPrev: offset > 0,
    hasNext: nextOffset !== null,
    prevPage: () => setOffset((current) => Math.max(0, current - limit)),
    nextPage: () => {
      if (nextOffset !== null) setOffset(nextOffset);
    },
  };
}
