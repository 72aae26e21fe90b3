interface Props {
  status: string;
  testId?: string;
}

const LABELS: Record<string, string> = {
  pending: 'Pending',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  timeout: 'Timed out',
};

/** A coloured pill naming a run state; colour and text both differ per state. */
export function StatusBadge({ status, testId }: Props) {
  return (
    <span className={`badge badge-${status}`} data-testid={testId} data-status={status}>
      {LABELS[status] ?? status}
    </span>
  );
}
