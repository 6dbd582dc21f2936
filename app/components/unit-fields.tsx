import { Field } from "./field.tsx";

export interface UnitFieldValues {
  code?: string;
  name?: string;
  shortName?: string;
  unitType?: string;
  groupCode?: string;
  headEmail?: string;
}

/** The fields of a unit, shared by the "add unit" and "edit unit" forms. */
export function UnitFields({
  values,
  errors,
  unitTypes,
  groups,
  markOptional = false,
}: {
  values: UnitFieldValues;
  errors: Record<string, string | undefined>;
  unitTypes: { value: string; label: string }[];
  groups: { code: string; name: string }[];
  /** Say which fields may be left empty (on the "add" form). */
  markOptional?: boolean;
}) {
  const optional = markOptional ? " (không bắt buộc)" : "";
  return (
    <>
      <Field name="code" label="Mã đơn vị" error={errors.code} prefix="u">
        {(p) => <input {...p} defaultValue={values.code} />}
      </Field>
      <Field name="name" label="Tên đơn vị" error={errors.name} prefix="u">
        {(p) => <input {...p} defaultValue={values.name} size={50} />}
      </Field>
      <Field name="shortName" label={`Tên viết tắt${optional}`} error={errors.shortName} prefix="u">
        {(p) => <input {...p} defaultValue={values.shortName} />}
      </Field>
      <Field name="unitType" label="Loại đơn vị" error={errors.unitType} prefix="u">
        {(p) => (
          <select {...p} defaultValue={values.unitType ?? "so"}>
            {unitTypes.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="groupCode" label="Nhóm xếp hạng" error={errors.groupCode} prefix="u">
        {(p) => (
          <select {...p} defaultValue={values.groupCode ?? groups[0]?.code}>
            {groups.map((g) => (
              <option key={g.code} value={g.code}>
                {g.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="headEmail" label={`Thư điện tử thủ trưởng${optional}`} error={errors.headEmail} prefix="u">
        {(p) => <input {...p} type="email" defaultValue={values.headEmail} />}
      </Field>
    </>
  );
}
