import { describe, expect, it } from 'vitest';
import { choice } from '../../../flows/messages.ts';
import { matchChoice } from '../../../flows/shared/matchChoice.ts';
import { menuChoices } from '../../../flows/menu/menu.machine.ts';

describe('matching a typed answer to the choices on screen', () => {
  it.each([
    ['1', 'report'],
    ['2.', 'quiz'],
    [' 6) ', 'help'],
    ['Laporkan pelanggaran', 'report'],
    ['laporkan', 'report'],
    ['REPORT A VIOLATION', 'report'],
    ['kuis', 'quiz'],
    ['quiz', 'quiz'],
    ['cek status', 'status'],
    ['bahasa', 'language'],
    ['language', 'language'],
  ])('reads %j as %s', (text, value) => {
    expect(matchChoice(text, menuChoices)?.value).toBe(value);
  });

  it.each(['0', '7', '', 'xyz', 'a', '🙂'])('matches nothing for %j', (text) => {
    expect(matchChoice(text, menuChoices)).toBeUndefined();
  });

  it('refuses an answer that fits several choices equally', () => {
    const choices = [choice('a', 'common.yes'), { value: 'b', label: { literal: 'Kota Padang' } }, { value: 'c', label: { literal: 'Kota Padang Panjang' } }];
    expect(matchChoice('kota', choices)).toBeUndefined();
    expect(matchChoice('kota padang', choices)?.value).toBe('b');
  });

  it('never reads a yes or a no as the start of a longer word ("yes" is not "Yesterday"), but still as a label\'s first word', () => {
    const days = [{ value: 'today', label: { literal: 'Today' } }, { value: 'yesterday', label: { literal: 'Yesterday' } }];
    expect(matchChoice('yes', days)).toBeUndefined();
    expect(matchChoice('yest', days)?.value).toBe('yesterday');
    const send = [{ value: 'confirm', label: { literal: 'Yes, send' } }, { value: 'edit', label: { literal: 'Change something' } }];
    expect(matchChoice('yes', send)?.value).toBe('confirm');
  });

  it('reads an English label without its articles, as people type it', () => {
    const choices = [choice('confirm', 'common.yes'), { value: 'change', label: { localized: { id: 'Ubah nama', en: 'Change the name' } } }];
    expect(matchChoice('change name', choices)?.value).toBe('change');
    expect(matchChoice('Change the name', choices)?.value).toBe('change');
  });

  it('matches bilingual content labels in either language', () => {
    const choices = [{ value: 'x', label: { localized: { id: 'Media sosial', en: 'Social media' } } }];
    expect(matchChoice('social media', choices)?.value).toBe('x');
    expect(matchChoice('media sosial', choices)?.value).toBe('x');
  });
});

describe('a word after a negation in a label', () => {
  const employment = [
    { value: 'pns', label: { literal: 'PNS' } },
    { value: 'nonAsn', label: { localized: { id: 'Honorer / non-ASN', en: 'Honorary / non-ASN staff' } } },
  ];

  it('does not pick the label that negates the typed word', () => {
    expect(matchChoice('ASN', employment)).toBeUndefined();
  });

  it('keeps a word that fits a negated label and another one ambiguous', () => {
    const choices = [...employment, { value: 'asn', label: { literal: 'ASN lainnya' } }];
    expect(matchChoice('ASN', choices)?.value).toBe('asn');
    const both = [{ value: 'a', label: { literal: 'Semua ASN' } }, { value: 'b', label: { literal: 'Hanya non-ASN' } }];
    expect(matchChoice('ASN', both)).toBeUndefined();
  });

  it('reads a reply that starts with "Tidak," or "No," by its other words', () => {
    const stay = [{ value: 'leave', label: { literal: 'Ya, tinggalkan' } }, { value: 'stay', label: { localized: { id: 'Tidak, lanjutkan', en: 'No, continue' } } }];
    expect(matchChoice('lanjutkan', stay)?.value).toBe('stay');
    expect(matchChoice('continue', stay)?.value).toBe('stay');
  });

  it('still picks the label by its negated form or its other words', () => {
    expect(matchChoice('non-ASN', employment)?.value).toBe('nonAsn');
    expect(matchChoice('honorer', employment)?.value).toBe('nonAsn');
  });
});

describe('a choice matched only by its number or its whole label', () => {
  const keep = { value: 'keep', label: { literal: 'Biarkan: Budi Santoso' }, exact: true };
  const unknown = { value: 'unknown', label: { literal: 'Tidak tahu' } };

  it('is not caught by a word of its label, which is then a new answer', () => {
    expect(matchChoice('Budi', [keep, unknown])).toBeUndefined();
    expect(matchChoice('biarkan', [keep, unknown])).toBeUndefined();
  });

  it('is still chosen by its number or its whole label', () => {
    expect(matchChoice('1', [keep, unknown])?.value).toBe('keep');
    expect(matchChoice('Biarkan: Budi Santoso', [keep, unknown])?.value).toBe('keep');
  });

  const kinds = [choice('tip', 'report.kind.tip'), choice('formal', 'report.kind.formal')];
  it.each([
    ['anonim aja', 'tip'],
    ['1 aja', 'tip'],
    ['yg pertama', 'tip'],
    ['resmi aja kak', 'formal'],
    ['no 2', 'formal'],
    ['nomor 2', 'formal'],
    ['the second', 'formal'],
    ['jawabannya 1', 'tip'],
    ['saya pilih nomor 2', 'formal'],
    ['my answer is 2', 'formal'],
    ['I choose the first', 'tip'],
  ])('reads %j, with chatter around the choice, as %s', (text, value) => {
    expect(matchChoice(text, kinds)?.value).toBe(value);
  });

  it('drops "saya", "my answer" and the like only before a number, so "saya tahu" is not "Tidak tahu" nor "saya kirim" a send', () => {
    const unknown = [choice('unknown', 'report.common.unknown')];
    const send = [choice('send', 'officer.reply.sendButton')];
    for (const text of ['saya tahu', 'aku tahu', 'I know']) expect(matchChoice(text, unknown), text).toBeUndefined();
    for (const text of ['saya kirim', 'aku kirim', 'my answer']) expect(matchChoice(text, send), text).toBeUndefined();
    expect(matchChoice('jawabannya 1', send)?.value).toBe('send');
  });

  it('keeps "sama aja" for keeping an earlier answer, not the same day once "aja" is dropped', () => {
    const learned = [{ value: 'sameDay', label: { literal: 'Hari yang sama' } }, { value: 'today', label: { literal: 'Hari ini' } }];
    expect(matchChoice('sama', learned)?.value).toBe('sameDay');
    expect(matchChoice('sama aja', learned)).toBeUndefined();
    expect(matchChoice('no thanks', kinds)).toBeUndefined();
    expect(matchChoice('aja', kinds)).toBeUndefined();
  });
});
