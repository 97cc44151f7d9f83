/** A receipt's JSON texts built by hand (receipt-json.ts) are exactly the canonical form and JSON.stringify's. */
import { describe, expect, it } from 'vitest';
import { checkpointJson, receiptBody, receiptText } from '../../../src-server/receipt-json';
import { serverCheckpointSigner } from '../../../src-server/server-log';
import { canonicalize } from '../../../src-shared/canonical-json';
import { randomBytes } from '../../../src-shared/node/crypto';
import { receiptSchema, type Receipt } from '../../../src-shared/attestation-types';

const checkpoint = serverCheckpointSigner('unit.test/attestations', randomBytes(32)).sign(9, randomBytes(32));
const receipt: Receipt = { envelopeSha256: 'ab'.repeat(32), logIndex: 7, treeSize: 9, inclusionProof: ['AAAA', 'ab+/'], checkpoint };

describe('receipt JSON', () => {
  it('stores the RFC 8785 form and answers what JSON.stringify writes, the checkpoint serialised once', () => {
    const memo = checkpointJson();
    expect(checkpoint).toContain('\u2014');
    expect(receiptText(receipt, memo(checkpoint))).toBe(canonicalize(receipt));
    expect(receiptBody(receipt, memo(checkpoint))).toBe(`${JSON.stringify(receipt)}\n`);
    // A stored receipt read back (the answer to a replay) has the same member order.
    const stored = receiptSchema.parse(JSON.parse(receiptText(receipt)));
    expect(receiptBody(stored)).toBe(`${JSON.stringify(stored)}\n`);
  });
});
