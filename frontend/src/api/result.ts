/** One validation problem as FastAPI reports it in a 422 `detail` list. */
export interface FieldError {
  loc: (string | number)[];
  msg: string;
  type?: string;
}

/** The outcome of one API call, flattened so components never deal with exceptions. */
export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; message: string; fieldErrors: FieldError[] };

/** status 0 means the request never got an HTTP answer (server unreachable). */
export const NETWORK_ERROR_STATUS = 0;

function isFieldError(value: unknown): value is FieldError {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as FieldError).loc) &&
    typeof (value as FieldError).msg === 'string'
  );
}

/** "body → steps → 0 → content" style location, dropping the leading "body"/"query". */
export function formatLoc(loc: (string | number)[]): string {
  const parts = loc[0] === 'body' || loc[0] === 'query' || loc[0] === 'path' ? loc.slice(1) : loc;
  return parts.length ? parts.join('.') : 'request';
}

/** Turns an error body (`{"detail": ...}` or anything else) into a readable message. */
export function describeError(
  status: number,
  body: unknown,
): { message: string; fieldErrors: FieldError[] } {
  const detail =
    typeof body === 'object' && body !== null && 'detail' in body
      ? (body as { detail: unknown }).detail
      : body;
  if (Array.isArray(detail) && detail.every(isFieldError)) {
    const fieldErrors = detail;
    const message = fieldErrors.map((e) => `${formatLoc(e.loc)}: ${e.msg}`).join('; ');
    return { message: message || `HTTP ${status}`, fieldErrors };
  }
  if (typeof detail === 'string' && detail) {
    return { message: detail, fieldErrors: [] };
  }
  if (detail !== undefined && detail !== null && detail !== '') {
    return { message: JSON.stringify(detail), fieldErrors: [] };
  }
  return { message: `HTTP ${status}`, fieldErrors: [] };
}

function errorResult<T>(status: number, body: unknown): ApiResult<T> {
  return { ok: false, status, ...describeError(status, body) };
}

function networkFailure<T>(err: unknown): ApiResult<T> {
  const reason = err instanceof Error ? err.message : String(err);
  return {
    ok: false,
    status: NETWORK_ERROR_STATUS,
    message: `Server unreachable (${reason})`,
    fieldErrors: [],
  };
}

/** Awaits an openapi-fetch call and flattens it into an ApiResult. */
export async function settle<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<ApiResult<T>> {
  try {
    const { data, error, response } = await call;
    if (response.ok) {
      return { ok: true, status: response.status, data: data as T };
    }
    return errorResult(response.status, error);
  } catch (err) {
    return networkFailure(err);
  }
}
