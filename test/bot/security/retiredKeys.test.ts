/**
 * What a secret rotation keeps of the old secret: its receipt key only, sealed under the new secret, and each receipt
 * MAC sealed likewise, so receipts keep verifying while the old secret alone can test none of them.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseMasterSecret, Secrets, writeSecretFile } from '../../../bot/security/secrets.ts';
import { DUMMY_RECEIPT_HASH, hashReceipt, RECEIPT_KEY_PURPOSES, rekeyReceiptHash, verifyReceipt } from '../../../bot/tickets/ticketCodes.ts';

const OLD = Buffer.alloc(32, 11);
const NEXT = Buffer.alloc(32, 12);
const THIRD = Buffer.alloc(32, 13);
const RECEIPT = '4821930475618203';

describe('retired keys', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('names each master secret by a stable id of 16 hex digits that differs from secret to secret', () => {
    expect(new Secrets(OLD).keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(new Secrets(OLD).keyId).toBe(new Secrets(Buffer.from(OLD)).keyId);
    expect(new Secrets(OLD).keyId).not.toBe(new Secrets(NEXT).keyId);
  });

  it('hands over only the receipt key of a retired secret, with which the successor makes the same MACs', () => {
    const old = new Secrets(OLD);
    const next = new Secrets(NEXT);
    const ring = old.keysToRetire(RECEIPT_KEY_PURPOSES);
    expect(Object.keys(ring)).toEqual([old.keyId]);
    expect(Object.keys(ring[old.keyId]!)).toEqual(['receipt']);
    expect(JSON.stringify(ring)).not.toContain(OLD.toString('base64'));
    const data = Buffer.from('salt+receipt');
    expect(next.retiredMac(old.keyId, 'receipt', data)).toBeUndefined();
    next.useRetiredKeys(ring);
    expect(next.retiredMac(old.keyId, 'receipt', data)?.equals(old.mac('receipt', data))).toBe(true);
    expect(next.retiredMac(old.keyId, 'key-check', data)).toBeUndefined();
    expect(next.retiredMac(next.keyId, 'receipt', data)?.equals(next.mac('receipt', data))).toBe(true);
  });

  it('seals a receipt hash for the successor: it verifies with the kept receipt key, and the old secret cannot test it', async () => {
    const old = new Secrets(OLD);
    const next = new Secrets(NEXT);
    const rekeyed = rekeyReceiptHash(hashReceipt(old, RECEIPT), old, next);
    expect(rekeyed).toMatch(new RegExp(`^hmac-sealed\\$${old.keyId}\\$[A-Za-z0-9+/]{22}==\\$v1\\.`));
    // Without the kept key the successor cannot check it; with it, the right receipt alone passes.
    expect(await verifyReceipt(next, RECEIPT, rekeyed)).toBe(false);
    next.useRetiredKeys(old.keysToRetire(RECEIPT_KEY_PURPOSES));
    expect(await verifyReceipt(next, RECEIPT, rekeyed)).toBe(true);
    expect(await verifyReceipt(next, '4821930475618204', rekeyed)).toBe(false);
    // Whoever holds the old secret makes the right MAC, but cannot open the stored one to compare.
    expect(await verifyReceipt(new Secrets(OLD), RECEIPT, rekeyed)).toBe(false);
    expect(() => old.decrypt(rekeyed.split('$')[3]!)).toThrow();

    // A second rotation seals the MAC again; the first key's id stays, and so does the key it needs.
    const third = new Secrets(THIRD);
    const again = rekeyReceiptHash(rekeyed, next, third);
    expect(again.split('$').slice(0, 3)).toEqual(rekeyed.split('$').slice(0, 3));
    third.useRetiredKeys(old.keysToRetire(RECEIPT_KEY_PURPOSES));
    expect(await verifyReceipt(third, RECEIPT, again)).toBe(true);
    expect(await verifyReceipt(next, RECEIPT, again)).toBe(false);
  });

  it('makes a wrong ticket code cost what a wrong receipt of a ticket filed before the rotation costs', async () => {
    const old = new Secrets(OLD);
    const next = new Secrets(NEXT);
    const sealed = rekeyReceiptHash(hashReceipt(old, RECEIPT), old, next);
    next.useRetiredKeys(old.keysToRetire(RECEIPT_KEY_PURPOSES));
    const work = async (stored: string) => {
      const decrypt = vi.spyOn(next, 'decrypt');
      const retiredMac = vi.spyOn(next, 'retiredMac');
      try {
        expect(await verifyReceipt(next, '4821930475618204', stored)).toBe(false);
        return { decrypt: decrypt.mock.calls.length, retiredMac: retiredMac.mock.calls.length };
      } finally {
        decrypt.mockRestore();
        retiredMac.mockRestore();
      }
    };
    const forSealed = await work(sealed);
    expect(forSealed).toEqual({ decrypt: 1, retiredMac: 1 });
    expect(await work(DUMMY_RECEIPT_HASH)).toEqual(forSealed);
    // Before any rotation, the dummy stays a plain MAC, like every receipt.
    expect(await verifyReceipt(new Secrets(THIRD), RECEIPT, DUMMY_RECEIPT_HASH)).toBe(false);
  });

  it('leaves a scrypt receipt hash as it is: it depends on no key', () => {
    const older = 'scrypt$2048$8$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaA==';
    expect(rekeyReceiptHash(older, new Secrets(OLD), new Secrets(NEXT))).toBe(older);
  });

  it('reads a master secret only as 32 bytes in base64, without repeating a wrong one', () => {
    expect(parseMasterSecret(`  ${OLD.toString('base64')}\n`).equals(OLD)).toBe(true);
    for (const wrong of ['rahasia', Buffer.alloc(16).toString('base64'), `${OLD.toString('base64')}x`, '']) {
      expect(() => parseMasterSecret(wrong)).toThrow(/32 random bytes in base64/);
      try {
        parseMasterSecret(wrong);
      } catch (error) {
        if (wrong) expect((error as Error).message).not.toContain(wrong);
      }
    }
  });

  it('writes a secret file readable only by its owner, and refuses to overwrite one when asked not to', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'netra-secret-file-'));
    dirs.push(dir);
    const file = path.join(dir, 'new.key');
    writeSecretFile(file, NEXT, true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseMasterSecret(readFileSync(file, 'utf8')).equals(NEXT)).toBe(true);
    expect(() => writeSecretFile(file, THIRD, true)).toThrow(/EEXIST/);
    writeFileSync(path.join(dir, 'loose.key'), 'x', { mode: 0o644 });
    writeSecretFile(path.join(dir, 'loose.key'), THIRD, false);
    expect(statSync(path.join(dir, 'loose.key')).mode & 0o777).toBe(0o600);
  });
});
