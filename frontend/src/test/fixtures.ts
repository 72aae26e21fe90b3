import type { RunDetail, RunResponse, RunStatus, RunSummary } from '../api/types';

export function runResponse(overrides: Partial<RunResponse> = {}): RunResponse {
  return {
    run_id: '33333333-3333-4333-8333-333333333333',
    status: 'completed',
    mode: 'dry_run',
    dataset_key: 'demo-v1',
    model_id: 'tiny-gemma3',
    output_dir: 'data/runs/33333333',
    exit_code: 0,
    stdout: 'dataset ok\nmanifest ok\nmodel id ok',
    stderr: '',
    duration_seconds: 0.42,
    started_at: '2026-01-01T10:00:00Z',
    completed_at: '2026-01-01T10:00:01Z',
    message: 'Dry run passed',
    ...overrides,
  };
}

export function runSummary(
  runId: string,
  status: RunStatus,
  overrides: Partial<RunSummary> = {},
): RunSummary {
  const done = status !== 'pending' && status !== 'running';
  return {
    run_id: runId,
    dataset_key: 'demo-v1',
    model_id: 'tiny-gemma3',
    mode: 'local',
    status,
    exit_code: done ? (status === 'completed' ? 0 : 1) : null,
    started_at: '2026-01-01T10:00:00Z',
    completed_at: done ? '2026-01-01T10:00:05Z' : null,
    duration_seconds: done ? 5.25 : null,
    ...overrides,
  };
}

export function runDetail(summary: RunSummary, overrides: Partial<RunDetail> = {}): RunDetail {
  return {
    ...summary,
    stdout: 'step 1 loss 2.5\nstep 2 loss 2.1',
    stderr: 'warning: cpu only',
    output_dir: `data/runs/${summary.run_id}`,
    message: 'Training finished',
    config: { learning_rate: 2e-5, num_epochs: 1 },
    created_at: summary.started_at,
    ...overrides,
  };
}
