/** A labelled select over a closed set of values (a finding's severity or status), in words. */
export function EnumSelect<T extends string>({ id, label, value, labels, onChange }: { id: string; label: string; value: T; labels: Record<T, string>; onChange: (value: T) => void }) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {(Object.keys(labels) as T[]).map((v) => (
          <option key={v} value={v}>
            {labels[v]}
          </option>
        ))}
      </select>
    </>
  );
}
