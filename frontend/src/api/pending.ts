/**
 * LOCALLY TYPED ROUTES — NOT GENERATED.
 *
 * These types describe backend routes that were not yet present in the committed OpenAPI
 * document (frontend/openapi.json) when the UI was written: /api/datasets* and /api/tunix/*.
 * They follow the agreed API contract. Once the routes appear in openapi.json, run
 * `make api-types` and replace these with aliases of `components['schemas'][...]`.
 */
import type { Pagination } from './types';

export interface DatasetBuildRequest {
  dataset_name: string;
  dataset_version: string;
  filters: Record<string, unknown>;
  limit: number;
  selection_strategy: 'latest' | 'random';
  seed?: number | null;
}

export interface DatasetBuilt {
  dataset_key: string;
  build_id: string;
  trace_count: number;
}

export interface DatasetSummary {
  dataset_key: string;
  build_id: string;
  name: string;
  version: string;
  created_at: string;
  trace_count: number;
  selection_strategy: string;
}

export interface DatasetPage {
  data: DatasetSummary[];
  pagination: Pagination;
}

export interface TunixStatus {
  available: boolean;
  version: string | null;
  runtime_required: boolean;
  message: string;
}

export interface TunixHyperParams {
  learning_rate: number;
  num_epochs: number;
  batch_size: number;
  max_seq_length: number;
  max_steps?: number | null;
}

export interface ManifestRequest extends TunixHyperParams {
  dataset_key: string;
  model_id: string;
  output_dir: string;
}

export interface ManifestResponse {
  manifest_yaml: string;
  dataset_key: string;
  model_id: string;
  format: string;
  message: string;
}

export interface RunRequest extends TunixHyperParams {
  dataset_key: string;
  model_id: string;
  dry_run: boolean;
  output_dir?: string | null;
}

export type RunStatus = 'pending' | 'running' | 'completed' | 'failed' | 'timeout';
export type RunMode = 'dry_run' | 'local';

export interface RunResponse {
  run_id: string;
  status: RunStatus;
  mode: RunMode;
  dataset_key: string;
  model_id: string;
  output_dir: string | null;
  exit_code: number | null;
  stdout: string;
  stderr: string;
  duration_seconds: number | null;
  started_at: string;
  completed_at: string | null;
  message: string | null;
}

export interface RunSummary {
  run_id: string;
  dataset_key: string;
  model_id: string;
  mode: RunMode;
  status: RunStatus;
  exit_code: number | null;
  started_at: string;
  completed_at: string | null;
  duration_seconds: number | null;
}

export interface RunDetail extends RunSummary {
  stdout: string;
  stderr: string;
  output_dir: string | null;
  message: string | null;
  config: Record<string, unknown> | null;
  created_at: string;
}

export interface RunPage {
  data: RunSummary[];
  pagination: Pagination;
}
