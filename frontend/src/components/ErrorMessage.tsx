import type { FieldError } from '../api/result';
import { formatLoc } from '../api/result';

interface Props {
  testId: string;
  message: string;
  fieldErrors?: FieldError[];
}

/** An error line; a 422 shows each offending field on its own line. */
export function ErrorMessage({ testId, message, fieldErrors = [] }: Props) {
  if (fieldErrors.length > 0) {
    return (
      <div className="error" role="alert" data-testid={testId}>
        <strong>Invalid input:</strong>
        <ul>
          {fieldErrors.map((e, idx) => (
            <li key={idx}>
              <code>{formatLoc(e.loc)}</code>: {e.msg}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div className="error" role="alert" data-testid={testId}>
      {message}
    </div>
  );
}
