/** A signed package folder as .zip bytes, as a file input or a removable drive would hand it over. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yazl from 'yazl';

export async function zipFolderBytes(dir: string): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  const walk = (sub: string) => {
    for (const name of fs.readdirSync(path.join(dir, sub)).sort()) {
      const rel = sub ? `${sub}/${name}` : name;
      if (fs.statSync(path.join(dir, rel)).isDirectory()) walk(rel);
      else zip.addBuffer(fs.readFileSync(path.join(dir, rel)), rel);
    }
  };
  walk('');
  zip.end();
  const parts: Buffer[] = [];
  for await (const part of zip.outputStream) parts.push(part as Buffer);
  return new Uint8Array(Buffer.concat(parts));
}
