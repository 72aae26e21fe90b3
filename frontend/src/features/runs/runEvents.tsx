import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/**
 * How the Tunix panel tells Run History that a run started or ended, so the new run shows up
 * at the top of the list without a reload.
 */
export interface RunEvents {
  /** Bumped on every start and end; Run History reloads when it changes. */
  version: number;
  /** How many runs this page has started that have not answered yet. */
  inFlight: number;
  runStarted: () => void;
  runFinished: () => void;
}

const noop = () => undefined;

const RunEventsContext = createContext<RunEvents>({
  version: 0,
  inFlight: 0,
  runStarted: noop,
  runFinished: noop,
});

export function RunEventsProvider({ children }: { children: ReactNode }) {
  const [version, setVersion] = useState(0);
  const [inFlight, setInFlight] = useState(0);

  const runStarted = useCallback(() => {
    setInFlight((n) => n + 1);
    setVersion((v) => v + 1);
  }, []);
  const runFinished = useCallback(() => {
    setInFlight((n) => Math.max(0, n - 1));
    setVersion((v) => v + 1);
  }, []);

  const value = useMemo(
    () => ({ version, inFlight, runStarted, runFinished }),
    [version, inFlight, runStarted, runFinished],
  );
  return <RunEventsContext.Provider value={value}>{children}</RunEventsContext.Provider>;
}

export function useRunEvents(): RunEvents {
  return useContext(RunEventsContext);
}
