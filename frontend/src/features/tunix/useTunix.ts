import { useEffect, useState } from 'react';
import { client } from '../../api/client';
import { settle, type ApiResult } from '../../api/result';
import type {
  ManifestRequest,
  ManifestResponse,
  RunRequest,
  RunResponse,
  TunixStatus,
} from '../../api/types';

export function getTunixStatus(): Promise<ApiResult<TunixStatus>> {
  return settle(client.GET('/api/tunix/status'));
}

export function previewManifest(body: ManifestRequest): Promise<ApiResult<ManifestResponse>> {
  return settle(client.POST('/api/tunix/sft/manifest', { body }));
}

export function startRun(body: RunRequest): Promise<ApiResult<RunResponse>> {
  return settle(client.POST('/api/tunix/run', { body }));
}

export type StatusState =
  | { kind: 'loading' }
  | { kind: 'ready'; status: TunixStatus }
  | { kind: 'error'; message: string };

/** Whether Tunix can train locally, loaded once. */
export function useTunixStatus(): StatusState {
  const [state, setState] = useState<StatusState>({ kind: 'loading' });
  useEffect(() => {
    let active = true;
    void getTunixStatus().then((result) => {
      if (!active) return;
      setState(
        result.ok
          ? { kind: 'ready', status: result.data }
          : { kind: 'error', message: result.message },
      );
    });
    return () => {
      active = false;
    };
  }, []);
  return state;
}

/** Why "Run locally" is disabled, or null when it may be used. */
export function localRunBlocker(state: StatusState): string | null {
  if (state.kind === 'loading') return 'Checking whether Tunix is installed…';
  if (state.kind === 'error') return `Tunix status unknown: ${state.message}`;
  if (!state.status.available) return state.status.message || 'Tunix is not installed';
  return null;
}
