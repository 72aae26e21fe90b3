/** Seconds as "1.23 s"; a dash when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  return `${seconds.toFixed(2)} s`;
}

/** An ISO timestamp in the viewer's locale; the raw text when it does not parse. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
