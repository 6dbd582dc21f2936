import type { ReactNode } from "react";

export interface FieldProps {
  id: string;
  name: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}

/** A labelled form field with its error message tied to the input for screen readers. */
export function Field({
  name,
  label,
  error,
  prefix = "f",
  children,
}: {
  name: string;
  label: string;
  error?: string | null;
  prefix?: string;
  children: (props: FieldProps) => ReactNode;
}) {
  const id = `${prefix}-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, name, ...(error ? { "aria-invalid": true, "aria-describedby": `${id}-err` } : {}) })}
      {error ? (
        <p className="field-error" id={`${id}-err`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
