import type { components } from './schema';

type Schemas = components['schemas'];

export type Health = Schemas['Health'];
export type TraceCreate = Schemas['TraceCreate'];
export type TraceCreated = Schemas['TraceCreated'];
export type TraceDetail = Schemas['TraceDetail'];
export type TraceSummary = Schemas['TraceSummary'];
export type TracePage = Schemas['Page_TraceSummary_'];
export type ScoreResult = Schemas['ScoreResult'];
export type TraceComparison = Schemas['TraceComparison'];
export type ComparedTrace = Schemas['ComparedTrace'];
export type Pagination = Schemas['Pagination'];
