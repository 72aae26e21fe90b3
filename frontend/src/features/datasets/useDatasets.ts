import { useCallback, useEffect, useState } from 'react';
import { requestJson, type ApiResult } from '../../api/result';
import type { DatasetBuildRequest, DatasetBuilt, DatasetPage, DatasetSummary } from '../../api/pending';

export const DATASET_LIST_LIMIT = 20;
export const EXPORT_FORMATS = ['trace', 'tunix_sft', 'training_example'] as const;

export function exportUrl(datasetKey: string, format: (typeof EXPORT_FORMATS)[number]): string {
  return `/api/datasets/${encodeURIComponent(datasetKey)}/export.jsonl?format=${format}`;
}

export function buildDataset(body: DatasetBuildRequest): Promise<ApiResult<DatasetBuilt>> {
  return requestJson<DatasetBuilt>('POST', '/api/datasets/build', body);
}

export function listDatasets(limit: number): Promise<ApiResult<DatasetPage>> {
  return requestJson<DatasetPage>('GET', `/api/datasets?limit=${limit}&offset=0`);
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
