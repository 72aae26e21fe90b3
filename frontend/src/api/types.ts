import type { components } from './schema';

type Schemas = components['schemas'];

export type Health = Schemas['Health'];
export type Pagination = Schemas['Pagination'];

export type TraceCreate = Schemas['TraceCreate'];
export type TraceCreated = Schemas['TraceCreated'];
export type TraceDetail = Schemas['TraceDetail'];
export type TraceSummary = Schemas['TraceSummary'];
export type TracePage = Schemas['Page_TraceSummary_'];
export type ScoreResult = Schemas['ScoreResult'];
export type TraceComparison = Schemas['TraceComparison'];
export type ComparedTrace = Schemas['ComparedTrace'];

export type DatasetBuildRequest = Schemas['DatasetBuildRequest'];
export type DatasetBuilt = Schemas['DatasetBuilt'];
export type DatasetSummary = Schemas['DatasetSummary'];
export type DatasetPage = Schemas['Page_DatasetSummary_'];
export type ExportFormat = Schemas['ExportFormat'];

export type TunixStatus = Schemas['TunixStatus'];
export type ManifestRequest = Schemas['ManifestRequest'];
export type ManifestResponse = Schemas['ManifestResponse'];
export type RunRequest = Schemas['RunRequest'];
export type RunResponse = Schemas['RunResponse'];
export type RunSummary = Schemas['RunSummary'];
export type RunDetail = Schemas['RunDetail'];
export type RunPage = Schemas['RunPage'];
export type RunStatus = RunSummary['status'];
export type RunMode = RunSummary['mode'];
