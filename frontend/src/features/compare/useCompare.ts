import { useState } from 'react';
import { client } from '../../api/client';
import { settle } from '../../api/result';
import type { TraceComparison } from '../../api/types';

type CompareState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'done'; comparison: TraceComparison }
  | { kind: 'error'; message: string };

/** Compare two stored traces; the 404 message names the missing id. */
export function useCompare() {
  const [state, setState] = useState<CompareState>({ kind: 'idle' });

  const compare = async (base: string, other: string) => {
    if (!base.trim() || !other.trim()) {
      setState({ kind: 'error', message: 'Enter both trace ids' });
      return;
    }
    setState({ kind: 'loading' });
    const result = await settle(
      client.GET('/api/traces/compare', {
        params: { query: { base: base.trim(), other: other.trim() } },
      }),
    );
    setState(
      result.ok
        ? { kind: 'done', comparison: result.data }
        : { kind: 'error', message: result.message },
    );
  };

  return { state, compare };
}
