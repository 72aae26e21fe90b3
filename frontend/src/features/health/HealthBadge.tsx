import { useHealth } from './useHealth';

interface Props {
  intervalMs?: number;
}

/** Header badge: healthy, unhealthy (with the reason) or unreachable. */
export function HealthBadge({ intervalMs }: Props) {
  const health = useHealth(intervalMs);
  let text: string;
  switch (health.kind) {
    case 'checking':
      text = 'Checking…';
      break;
    case 'healthy':
      text = 'Healthy';
      break;
    case 'unhealthy':
      text = `Unhealthy: ${health.reason}`;
      break;
    case 'unreachable':
      text = 'Server unreachable';
      break;
  }
  return (
    <span
      className={`health health-${health.kind}`}
      data-testid="health-status"
      data-state={health.kind}
      title={health.kind === 'unreachable' ? health.reason : undefined}
    >
      {text}
    </span>
  );
}
