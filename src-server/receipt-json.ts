/**
 * A receipt's two JSON texts: as stored (RFC 8785 canonical: members sorted) and as answered over HTTP
 * (members in the receipt's own order, as JSON.stringify of it writes them). A batch writes and answers
 * one receipt per attestation, all with the same checkpoint: a signed note whose JSON (newlines escaped,
 * a two-byte string for its em dash) is the costly part, so callers serialise it once per batch
 * (`checkpointJson`) and hand it in.
 */
import type { Receipt } from '../src-shared/attestation-types';

/** JSON of a checkpoint, remembering the last one (a batch's receipts share it). */
export function checkpointJson(): (checkpoint: string) => string {
  let last: string | null = null;
  let json = '';
  return (checkpoint) => {
    if (checkpoint !== last) {
      last = checkpoint;
      json = JSON.stringify(checkpoint);
    }
    return json;
  };
}

/**
 * The stored form. Its members are hex and base64 strings, a signed note, integers and an array of
 * strings, for which JSON.stringify of each member, in sorted order, writes exactly the canonical form
 * (RFC 8785 takes its string and number forms from it).
 */
export function receiptText(r: Receipt, checkpoint: string = JSON.stringify(r.checkpoint)): string {
  return `{"checkpoint":${checkpoint},"envelopeSha256":${JSON.stringify(r.envelopeSha256)},"inclusionProof":${JSON.stringify(r.inclusionProof)},"logIndex":${JSON.stringify(r.logIndex)},"treeSize":${JSON.stringify(r.treeSize)}}`;
}

/** The HTTP body: what `${JSON.stringify(r)}\n` writes for a receipt built in the schema's member order. */
export function receiptBody(r: Receipt, checkpoint: string = JSON.stringify(r.checkpoint)): string {
  return `{"envelopeSha256":${JSON.stringify(r.envelopeSha256)},"logIndex":${JSON.stringify(r.logIndex)},"treeSize":${JSON.stringify(r.treeSize)},"inclusionProof":${JSON.stringify(r.inclusionProof)},"checkpoint":${checkpoint}}\n`;
}
