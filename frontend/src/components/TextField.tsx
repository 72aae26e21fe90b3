interface Props {
  label: string;
  testId: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'number';
  min?: number;
  placeholder?: string;
  inputMode?: 'decimal' | 'numeric';
}

/** A labelled input holding its value as text; callers parse it when they submit. */
export function TextField({ label, testId, value, onChange, type = 'text', ...rest }: Props) {
  return (
    <label>
      {label}
      <input
        data-testid={testId}
        type={type}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...rest}
      />
    </label>
  );
}
