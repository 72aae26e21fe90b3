import { useCallback, useEffect, useState } from 'react';
import { client } from '../../api/client';
import { settle, type ApiResult } from '../../api/result';
import type {
  DatasetBuildRequest,
  DatasetBuilt,
  DatasetPage,
  DatasetSummary,
  ExportFormat,
} from '../../api/types';

export const DATASET_LIST_LIMIT = 20;
export const EXPORT_FORMATS: readonly ExportFormat[] = ['trace', 'tunix_sft', 'training_example'];

export function exportUrl(datasetKey: string, format: ExportFormat): string {
  return `/api/datasets/${encodeURIComponent(datasetKey)}/export.jsonl?format=${format}`;
}

export function buildDataset(body: DatasetBuildRequest): Promise<ApiResult<DatasetBuilt>> {
  return settle(client.POST('/api/datasets/build', { body }));
}

export function listDatasets(limit: number): Promise<ApiResult<DatasetPage>> {
  return settle(client.GET('/api/datasets', { params: { query: { limit, offset: 0 } } }));
}

interface ListState {
  items: DatasetSummary[];
  loaded: boolean;
  error: string | null;
}

function nextList(prev: ListState, result: ApiResult<DatasetPage>): ListState {
  return result.ok
    ? { items: result.data.data, loaded: true, error: null }
    : { items: prev.items, loaded: prev.loaded, error: result.message };
}

/** The newest datasets, with a reload function. */
export function useDatasetList(limit: number = DATASET_LIST_LIMIT) {
  const [state, setState] = useState<ListState>({ items: [], loaded: false, error: null });

  const reload = useCallback(async () => {
    const result = await listDatasets(limit);
    setState((prev) => nextList(prev, result));
  }, [limit]);

  useEffect(() => {
    let active = true;
    void listDatasets(limit).then((result) => {
      if (active) setState((prev) => nextList(prev, result));
    });
    return () => {
      active = false;
    };
  }, [limit]);

  return { ...state, reload };
}
